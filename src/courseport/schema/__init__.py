"""The tables: one store that every dialect reads and writes through the core."""

from courseport.schema.accounts import Account, AccountUser, Role, RoleOverride, Term
from courseport.schema.base import Base
from courseport.schema.blueprints import (
    BlueprintChange,
    BlueprintException,
    BlueprintImport,
    BlueprintLock,
    BlueprintMigration,
    BlueprintSubscription,
    BlueprintTemplate,
)
from courseport.schema.content import (
    AssignmentOverride,
    ContentItem,
    ContentLink,
    Folder,
    ModuleProgress,
    OverrideStudent,
    PageRevision,
    PeerReview,
    Submission,
)
from courseport.schema.controls import FaultRule, JobTiming, JobTimingRule, RequestLogBatch, Snapshot, SnapshotBlob
from courseport.schema.conversations import (
    Bookmark,
    Conversation,
    ConversationMessage,
    ConversationParticipant,
    RemovedMessage,
)
from courseport.schema.course_templates import CourseTemplate
from courseport.schema.courses import (
    Course,
    CourseNickname,
    CourseSetting,
    Enrollment,
    Favorite,
    Section,
)
from courseport.schema.d2l_keys import D2LApp, D2LUserKey
from courseport.schema.data_sources import DataSource
from courseport.schema.discussions import (
    DiscussionEntry,
    DiscussionEntryRating,
    DiscussionEntryRead,
    DiscussionParticipant,
)
from courseport.schema.external_tools import ExternalTool, FeatureFlag
from courseport.schema.files import Blob, BlobPin, ExternalFeed, File
from courseport.schema.gradebook_columns import GradebookColumn, GradebookColumnDatum
from courseport.schema.grading_periods import GradingPeriod, GradingPeriodSet, GradingPeriodSetTerm
from courseport.schema.grading_standards import GradingStandard
from courseport.schema.groups import CourseGroup, GroupCategory, GroupMembership
from courseport.schema.instance import InstanceValue
from courseport.schema.jobs import Job, JobClaim
from courseport.schema.late_policies import LatePolicy
from courseport.schema.lrs import LrsDocument, LrsFetch, XapiCredential
from courseport.schema.notifications import (
    AccountNotification,
    AccountNotificationClosure,
    AccountNotificationRole,
    NotificationPolicy,
)
from courseport.schema.oauth_clients import OAuthClient
from courseport.schema.org_units import OrgUnitRow
from courseport.schema.packages import CourseTag, PackageFile, PackageVersion, SettingValue, XapiStatement
from courseport.schema.planner import PlannerNote, PlannerOverride
from courseport.schema.quiz_submissions import QuizAttempt, QuizSubmission
from courseport.schema.registrations import (
    Attempt,
    AttemptLaunch,
    LaunchVaultVisit,
    LearnerTag,
    PreviewSequencing,
    Registration,
    RegistrationSetting,
    RegistrationTag,
)
from courseport.schema.rubric_assessments import RubricAssessment
from courseport.schema.sis_data import SisDataSet, SisStickyField
from courseport.schema.terms import TermOverride
from courseport.schema.users import (
    AccessToken,
    CommunicationChannel,
    Login,
    ObserverLink,
    ObserverPairingCode,
    User,
    UserPreference,
)

__all__ = [
    "Base",
    "Account",
    "AccountUser",
    "Role",
    "RoleOverride",
    "Term",
    "SisDataSet",
    "SisStickyField",
    "TermOverride",
    "AccessToken",
    "CommunicationChannel",
    "AccountNotification",
    "AccountNotificationClosure",
    "AccountNotificationRole",
    "NotificationPolicy",
    "OAuthClient",
    "CourseTemplate",
    "DataSource", "D2LApp",
    "D2LUserKey",
    "User",
    "Login",
    "ObserverLink",
    "ObserverPairingCode",
    "UserPreference",
    "Course",
    "CourseNickname",
    "Bookmark",
    "Conversation",
    "ConversationMessage",
    "ConversationParticipant",
    "RemovedMessage",
    "GradebookColumn",
    "GradebookColumnDatum",
    "ExternalTool",
    "FeatureFlag",
    "GradingPeriod",
    "GradingPeriodSet",
    "GradingPeriodSetTerm",
    "GradingStandard",
    "RubricAssessment",
    "CourseSetting",
    "Enrollment",
    "Favorite",
    "Section",
    "Blob",
    "BlobPin",
    "ExternalFeed",
    "File",
    "AssignmentOverride",
    "ContentItem",
    "ContentLink",
    "Folder",
    "ModuleProgress",
    "OverrideStudent",
    "PageRevision",
    "PeerReview",
    "Submission",
    "QuizSubmission",
    "QuizAttempt",
    "CourseGroup",
    "DiscussionEntry",
    "DiscussionEntryRating",
    "DiscussionEntryRead",
    "DiscussionParticipant",
    "Job",
    "LatePolicy",
    "JobClaim",
    "BlueprintChange",
    "BlueprintException",
    "BlueprintImport",
    "BlueprintLock",
    "BlueprintMigration",
    "BlueprintSubscription",
    "BlueprintTemplate",
    "CourseTag",
    "PackageFile",
    "PackageVersion",
    "SettingValue",
    "XapiStatement",
    "LrsDocument",
    "XapiCredential",
    "LrsFetch",
    "GroupCategory",
    "GroupMembership",
    "InstanceValue",
    "OrgUnitRow",
    "PlannerNote",
    "PlannerOverride",
    "Registration",
    "Attempt",
    "AttemptLaunch",
    "LaunchVaultVisit",
    "PreviewSequencing",
    "RegistrationTag",
    "LearnerTag",
    "RegistrationSetting",
    "FaultRule",
    "JobTiming",
    "JobTimingRule",
    "RequestLogBatch",
    "Snapshot",
    "SnapshotBlob",
]
