"""Read models that span domains, each for one kind of response: course views and course lists,
rosters, assignments as one viewer sees them, todo items, the activity stream and the planner. Nothing below
imports them; they write nothing.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["account_courses", "activity", "assignment_views", "course_lists", "course_view_extras", "course_views",
           "enrollment_views", "planner", "rosters", "section_views", "quiz_dates", "todo", "user_assignments"]
