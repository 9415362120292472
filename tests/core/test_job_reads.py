"""Who reads which jobs: a tenant's administrators list their tenant's jobs only, others their own."""

from __future__ import annotations

from courseport.core.identity import tenants
from courseport.core.jobs import job_reads, jobs
from courseport.core.kit.paging import Window
from courseport.schema import User


def test_each_tenants_admins_list_their_tenants_jobs_only(world):
    teacher = world.user("teacher")
    with world.tx() as db:
        made = tenants.create_tenant(db, "Suite B")
        b_admin = made.tenant.admin.id
        mine = jobs.enqueue(db, "course_copy", {}, user_id=world.admin.id).id
        theirs = jobs.enqueue(db, "course_copy", {}, user_id=b_admin).id
        teachers = jobs.enqueue(db, "course_copy", {}, user_id=teacher.id).id
        system = jobs.enqueue(db, "course_copy", {}).id
    with world.tx() as db:
        def listed(user_id: int) -> list[int]:
            return [j.id for j in job_reads.list_jobs(db, db.get_one(User, user_id), None, Window(0, 50)).items]

        assert listed(world.admin.id) == [system, teachers, mine]
        assert listed(b_admin) == [theirs]
        assert listed(teacher.id) == [teachers]
