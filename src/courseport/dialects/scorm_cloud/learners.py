"""Learner Service routes: update a learner's info, learner tags (single and batch) and deleting
all of a learner's data (LearnerSchema, TagListSchema, BatchTagsSchema)."""

from __future__ import annotations

from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.core.packages import registration_learners
from courseport.dialects.scorm_cloud.json_types import string_list
from courseport.dialects.scorm_cloud.protocol import Call, delete, get, post, put
from courseport.dialects.scorm_cloud.registrations import DELETE, NAMES, READ, WRITE, learner_of

_NAMES = {**NAMES, "learner_id": "id", "learner_email": "email", "learner_first_name": "firstName",
          "learner_last_name": "lastName"}


@post("/learner/{learner_id:str}/updateInfo", status_code=204)
def update_learner_info(call: Call, learner_id: str) -> None:
    with spelled_as(_NAMES):
        learner = learner_of(call.json("learnerInfo"), "")
        with call.write(WRITE) as (db, me):
            registration_learners.update_learner(db, me, learner_id, learner)


@get("/learner/{learner_id:str}/tags")
def get_learner_tags(call: Call, learner_id: str) -> dict:
    with call.read(READ) as (db, me):
        return {"tags": registration_learners.get_tags(db, me, learner_id)}


@put("/learner/{learner_id:str}/tags")
def put_learner_tags(call: Call, learner_id: str) -> None:
    wanted = string_list(call.json("tags").get("tags"), "tags")
    with call.write(WRITE) as (db, me):
        registration_learners.set_tags(db, me, learner_id, wanted)


@delete("/learner/{learner_id:str}/tags")
def delete_learner_tags(call: Call, learner_id: str) -> None:
    unwanted = string_list(call.json("tags").get("tags"), "tags")
    with call.write(WRITE) as (db, me):
        registration_learners.remove_tags(db, me, learner_id, unwanted)


@put("/learner/tags")
def put_learner_tags_batch(call: Call) -> None:
    batch = call.json("batch")
    ids, wanted = string_list(batch.get("ids"), "ids"), string_list(batch.get("tags"), "tags")
    with call.write(WRITE) as (db, me):
        registration_learners.tag_learners(db, me, ids, wanted)


@post("/learner/{learner_id:str}/delete-information", status_code=204)
def delete_all_learner_data(call: Call, learner_id: str) -> None:
    if not call.str("userEmail"):
        raise InvalidInput("userEmail", "userEmail is required: the email of the person asking for the deletion")
    with call.session(DELETE, write=True) as (db, me):
        registration_learners.delete_learner_data(db, me, learner_id)


ROUTES = [update_learner_info, get_learner_tags, put_learner_tags, delete_learner_tags, put_learner_tags_batch,
          delete_all_learner_data]
