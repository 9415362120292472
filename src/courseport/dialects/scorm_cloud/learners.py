"""Learner Service routes: update a learner's info, learner tags (single and batch) and deleting
all of a learner's data (LearnerSchema, TagListSchema, BatchTagsSchema)."""

from __future__ import annotations

from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.core.packages import registration_learners
from courseport.dialects.scorm_cloud.protocol import Call, delete, get, post, put
from courseport.dialects.scorm_cloud.registrations import DELETE, NAMES, READ, WRITE, learner_of
from courseport.dialects.scorm_cloud.tags import change_tags, read_tags, tag_batch

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
    return read_tags(call, READ, registration_learners.get_tags, learner_id)


@put("/learner/{learner_id:str}/tags")
def put_learner_tags(call: Call, learner_id: str) -> None:
    change_tags(call, WRITE, registration_learners.set_tags, learner_id)


@delete("/learner/{learner_id:str}/tags")
def delete_learner_tags(call: Call, learner_id: str) -> None:
    change_tags(call, WRITE, registration_learners.remove_tags, learner_id)


@put("/learner/tags")
def put_learner_tags_batch(call: Call) -> None:
    tag_batch(call, WRITE, registration_learners.tag_learners)


@post("/learner/{learner_id:str}/delete-information", status_code=204)
def delete_all_learner_data(call: Call, learner_id: str) -> None:
    if not call.str("userEmail"):
        raise InvalidInput("userEmail", "userEmail is required: the email of the person asking for the deletion")
    with call.session(DELETE, write=True) as (db, me):
        registration_learners.delete_learner_data(db, me, learner_id)


ROUTES = [update_learner_info, get_learner_tags, put_learner_tags, delete_learner_tags, put_learner_tags_batch,
          delete_all_learner_data]
