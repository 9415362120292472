"""Values of this installation shared by every process (the signing secret, for one)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base


class InstanceValue(Base):
    __tablename__ = "instance_values"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
