"""What SIS imports keep between imports: the fields an API write made sticky (later imports leave them
alone unless told to override) and, per diffing data set, the rows of its last completed import."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base


class SisStickyField(Base):
    """One sticky field of one record (`record_type`: course, section, user, term, account)."""

    __tablename__ = "sis_sticky_fields"
    record_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)


class SisDataSet(Base):
    """A diffing data set of a root account: the import it last completed and that import's files, as
    {file name: {"kind": kind, "rows": [row dicts]}}."""

    __tablename__ = "sis_data_sets"
    root_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(255), primary_key=True)
    import_id: Mapped[int] = mapped_column(Integer)
    files: Mapped[dict] = mapped_column(JSON, default=dict)
