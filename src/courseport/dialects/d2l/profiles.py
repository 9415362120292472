"""Personal profiles (lp), read only: the UserProfile block of the caller (`profile/myProfile`) or of a user
(`profile/user/(userId)`). The store keeps a profile's nickname (the core user's short name) and email;
Valence's other profile fields (phones, address, favourites, birthday, social media) are not kept and read
empty. A user's profile is read by whoever reads the user's record (themself, or their admins), else 404.
"""

from __future__ import annotations

from typing import Any

from courseport.core.identity import account_users
from courseport.dialects.d2l.protocol import Call, get, route_id
from courseport.schema import User

BASE = "/api/lp/{version:str}/profile"
_UNKEPT = ("HomeTown", "HomePage", "HomePhone", "BusinessPhone", "MobilePhone", "FaxNumber", "Address1",
           "Address2", "City", "Province", "PostalCode", "Country", "Company", "JobTitle", "HighSchool",
           "University", "Hobbies", "FavMusic", "FavTVShows", "FavMovies", "FavBooks", "FavQuotations",
           "FavWebSites", "FutureGoals", "FavMemory")


def render_profile(user: User) -> dict[str, Any]:
    return {"Nickname": user.short_name or "", "Birthday": None, "Email": user.email or "",
            **dict.fromkeys(_UNKEPT, ""), "SocialMediaUrls": [], "ProfileIdentifier": user.uuid}


@get(BASE + "/myProfile")
def my_profile(call: Call, version: str) -> dict:
    with call.read() as (_db, me):
        return render_profile(me)


@get(BASE + "/user/{user_id:str}")
def user_profile(call: Call, version: str, user_id: str) -> dict:
    uid = route_id(user_id, "user")
    with call.read() as (db, me):
        return render_profile(account_users.readable_user(db, me, str(uid)))


ROUTES = [my_profile, user_profile]
