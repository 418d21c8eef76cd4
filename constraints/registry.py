"""The ordered registry of rule families. A new rule is a new module plus a line here.

Order matters only where one family reads variables another makes: tutor groups make
the tutor variables that idle periods read; locks narrow the room variables rooms make;
lesson times take runs out of the placement variables before any other family reads them.
"""

from __future__ import annotations

from constraints.at_once import AtOnce
from constraints.base import Rule
from constraints.days_at import DaysAt
from constraints.ends_day import EndsDay
from constraints.group_sizes import GroupSizes
from constraints.idle import IdleRule
from constraints.in_a_row import InARow
from constraints.lesson_load import LessonLoad
from constraints.lesson_pairs import LessonPairs
from constraints.lesson_times import LessonTimes
from constraints.lessons import Lessons
from constraints.locks import LockRule
from constraints.max_days import MaxDaysApart
from constraints.max_rooms import MaxRooms
from constraints.max_slots import MaxSlots
from constraints.max_span import MaxSpan
from constraints.min_days import MinDaysApart
from constraints.min_gap import MinGap
from constraints.min_rest import MinRest
from constraints.not_overlapping import NotOverlapping
from constraints.option_blocks import OptionBlocks
from constraints.ordered import Ordered
from constraints.requests import RequestRule
from constraints.rooms import RoomRule
from constraints.same_day import SameDay
from constraints.same_hour import SameHour
from constraints.same_room import SameRoom
from constraints.same_start import SameStart
from constraints.site_changes import SiteChanges
from constraints.staff import StaffRule
from constraints.staff_day_load import StaffDayLoad
from constraints.staff_days import StaffMaxDays
from constraints.staff_gaps import StaffGaps
from constraints.staff_min_days import StaffMinDays
from constraints.student_clashes import StudentClashes
from constraints.student_day_load import StudentDayLoad
from constraints.student_gaps import StudentGaps
from constraints.students_early import StudentsEarly
from constraints.travel import TravelRule
from constraints.tutor_groups import TutorGroupRule


def rules() -> list[Rule]:
    """Fresh instances of every rule family, in build order."""
    return [
        LessonTimes(),  # first: it takes runs out of the placement variables
        Lessons(),
        OptionBlocks(),
        StaffRule(),
        RoomRule(),
        LockRule(),  # after rooms: it narrows the room variables rooms made
        StudentClashes(),
        TutorGroupRule(),
        RequestRule(),
        GroupSizes(),
        TravelRule(),
        IdleRule(),
        MinDaysApart(),  # the Rules sheet's families (timetable phase)
        SameStart(),
        StaffMaxDays(),
        StaffGaps(),
        StaffDayLoad(),
        StudentGaps(),
        StudentDayLoad(),
        StudentsEarly(),
        InARow(),
        LessonPairs(),
        NotOverlapping(),
        EndsDay(),
        MaxSlots(),
        SameDay(),
        StaffMinDays(),
        DaysAt(),
        MinGap(),
        SameHour(),
        Ordered(),
        LessonLoad(),
        AtOnce(),
        SiteChanges(),
        MaxRooms(),
        MinRest(),
        MaxDaysApart(),
        SameRoom(),
        MaxSpan(),
    ]
