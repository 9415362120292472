"""Courses with every field of the Canvas Course object, their settings, sections and enrollments."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (UniqueConstraint("root_account_id", "scorm_course_id"),
                      UniqueConstraint("root_account_id", "sis_course_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    enrollment_term_id: Mapped[int] = mapped_column(ForeignKey("terms.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    course_code: Mapped[str] = mapped_column(String(255))
    sis_course_id: Mapped[str | None] = mapped_column(String(255))  # unique per root account: __table_args__
    integration_id: Mapped[str | None] = mapped_column(String(255))
    sis_import_id: Mapped[int | None] = mapped_column(Integer)
    workflow_state: Mapped[str] = mapped_column(String(32), default="unpublished", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    conclude_at: Mapped[datetime | None]
    locale: Mapped[str | None] = mapped_column(String(16))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    default_view: Mapped[str] = mapped_column(String(32), default="modules")
    syllabus_body: Mapped[str | None] = mapped_column(Text)
    syllabus_course_summary: Mapped[bool] = mapped_column(Boolean, default=True)
    public_description: Mapped[str | None] = mapped_column(Text)
    license: Mapped[str] = mapped_column(String(32), default="private")
    course_format: Mapped[str | None] = mapped_column(String(32))
    grading_standard_id: Mapped[int | None] = mapped_column(Integer)
    grade_passback_setting: Mapped[str | None] = mapped_column(String(32))
    storage_quota_mb: Mapped[int] = mapped_column(Integer, default=500)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public_to_auth_users: Mapped[bool] = mapped_column(Boolean, default=False)
    public_syllabus: Mapped[bool] = mapped_column(Boolean, default=False)
    public_syllabus_to_auth: Mapped[bool] = mapped_column(Boolean, default=False)
    hide_final_grades: Mapped[bool] = mapped_column(Boolean, default=False)
    apply_assignment_group_weights: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_student_assignment_edits: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_student_wiki_edits: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_wiki_comments: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_student_forum_attachments: Mapped[bool] = mapped_column(Boolean, default=False)
    open_enrollment: Mapped[bool] = mapped_column(Boolean, default=False)
    self_enrollment: Mapped[bool] = mapped_column(Boolean, default=False)
    restrict_enrollments_to_course_dates: Mapped[bool] = mapped_column(Boolean, default=False)
    post_manually: Mapped[bool] = mapped_column(Boolean, default=False)
    blueprint: Mapped[bool] = mapped_column(Boolean, default=False)
    blueprint_restrictions: Mapped[dict | None] = mapped_column(JSON)
    use_blueprint_restrictions_by_object_type: Mapped[bool] = mapped_column(Boolean, default=False)
    blueprint_restrictions_by_object_type: Mapped[dict | None] = mapped_column(JSON)
    template: Mapped[bool] = mapped_column(Boolean, default=False)
    homeroom_course: Mapped[bool] = mapped_column(Boolean, default=False)
    sync_enrollments_from_homeroom: Mapped[bool] = mapped_column(Boolean, default=False)
    homeroom_course_id: Mapped[str | None] = mapped_column(String(64))
    course_color: Mapped[str | None] = mapped_column(String(16))
    friendly_name: Mapped[str | None] = mapped_column(String(255))
    enable_course_paces: Mapped[bool] = mapped_column(Boolean, default=False)
    conditional_release: Mapped[bool] = mapped_column(Boolean, default=False)
    image_id: Mapped[int | None] = mapped_column(Integer)
    image_url: Mapped[str | None] = mapped_column(Text)
    banner_image_url: Mapped[str | None] = mapped_column(Text)
    lti_context_id: Mapped[str] = mapped_column(String(64))
    migration_limitation_dismissed: Mapped[bool] = mapped_column(Boolean, default=False)
    storage_quota_used_bytes: Mapped[float] = mapped_column(Float, default=0)
    # Course-record fields Blackboard Learn has and Canvas lacks (core/courses/course_records.py owns their rules).
    external_id: Mapped[str | None] = mapped_column(String(256), index=True)
    data_source_id: Mapped[str | None] = mapped_column(String(64))
    organization: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How the course is shown: one of course_records.COURSE_VIEWS.
    course_view: Mapped[str] = mapped_column(String(16), default="undecided", server_default="undecided")
    allow_guests: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    allow_observers: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    availability: Mapped[str | None] = mapped_column(String(16))  # record-only states: disabled, by_term
    record_options: Mapped[dict | None] = mapped_column(JSON)  # duration, enrollment, locale force, copy history
    # SCORM Cloud courseId, unique per tenant (root account): __table_args__ below.
    scorm_course_id: Mapped[str | None] = mapped_column(String(255))
    # D2L course offerings: the template the offering was made from and its content root path.
    course_template_id: Mapped[int | None] = mapped_column(ForeignKey("course_templates.id", ondelete="SET NULL"),
                                                           index=True)
    content_path: Mapped[str | None] = mapped_column(String(1024))


class CourseSetting(Base):
    """One course setting (the Canvas settings endpoint); absent rows take the default."""

    __tablename__ = "course_settings"
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)  # {"v": <value>} keeps scalars portable


class Section(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    sis_section_id: Mapped[str | None] = mapped_column(String(255), index=True)  # unique per root account (sections.py)
    integration_id: Mapped[str | None] = mapped_column(String(255))
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    default_section: Mapped[bool] = mapped_column(Boolean, default=False)
    restrict_enrollments_to_section_dates: Mapped[bool] = mapped_column(Boolean, default=False)
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    description: Mapped[str | None] = mapped_column(Text)  # sanitised HTML (D2L's section Description)
    # A cross-listed section's own course (it sits in `course_id` until it is de-cross-listed).
    nonxlist_course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    sis_import_id: Mapped[int | None] = mapped_column(Integer)  # the SIS import that last wrote it


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (
        Index("ix_enrollments_user_course", "user_id", "course_id"),
        Index("ix_enrollments_course_type", "course_id", "type"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    course_section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    type: Mapped[str] = mapped_column(String(32))  # StudentEnrollment, TeacherEnrollment, ...
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"))
    workflow_state: Mapped[str] = mapped_column(String(32), default="active")
    associated_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    limit_privileges_to_course_section: Mapped[bool] = mapped_column(Boolean, default=False)
    sis_import_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    start_at: Mapped[datetime | None]
    end_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    total_activity_time: Mapped[int] = mapped_column(Integer, default=0)
    # Canvas's enrollment uuid (include[]=uuid); every new row gets one, older rows got theirs in 0017.
    uuid: Mapped[str | None] = mapped_column(String(64), default=lambda: uuid4().hex)


class Favorite(Base):
    __tablename__ = "favorites"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)


class CourseNickname(Base):
    __tablename__ = "course_nicknames"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    nickname: Mapped[str] = mapped_column(String(255))
