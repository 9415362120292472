"""SIS import CSVs: the kind of a file from its header row, its rows with their numbers, and refusals."""

from __future__ import annotations

import pytest

from courseport.core.courses.sis_rows import RowProblem, SisFileRefused, date, kind_of, parse_file, status


@pytest.mark.parametrize("header,kind", [
    ("account_id,parent_account_id,name,status", "account"),
    ("term_id,name,status,start_date,end_date", "term"),
    ("user_id,login_id,first_name,last_name,email,status", "user"),
    ("course_id,short_name,long_name,account_id,term_id,status", "course"),
    ("section_id,course_id,name,status", "section"),
    ("course_id,user_id,role,status", "enrollment"),
    ("section_id,user_id,role,status,associated_user_id", "enrollment"),
    ("user_id,role,status", None),  # an enrollment names its course or section
    ("title,body", None),
])
def test_the_kind_is_told_by_the_header(header, kind):
    assert kind_of(header.split(",")) == kind


def test_rows_keep_their_numbers_and_trimmed_values():
    data = ('\ufeffUser_ID, Login_ID ,status\n'
            'u1, alice ,active\n'
            '\n'
            'u2,"bob\nsmith",active\n'
            'u3\n').encode()
    parsed = parse_file("users.csv", data)
    assert parsed.kind == "user"
    assert parsed.rows == [(2, {"user_id": "u1", "login_id": "alice", "status": "active"}),
                           (4, {"user_id": "u2", "login_id": "bob\nsmith", "status": "active"}),
                           (5, {"user_id": "u3", "login_id": "", "status": ""})]


@pytest.mark.parametrize("data,message", [
    (b"", "users.csv is empty: a CSV file starts with its header row"),
    (b"\xff\xfe\x00", "users.csv is not a UTF-8 CSV file"),
    (b"user_id,login_id,status\n\x00\x00", "users.csv is not a CSV file"),
    (b'user_id,login_id,status\nu1,"open', "users.csv is not a valid CSV file (unexpected end of data)"),
    (b"name,value\n", "Couldn't find Canvas CSV import headers in users.csv"),
])
def test_files_that_are_not_sis_csvs_are_refused(data, message):
    with pytest.raises(SisFileRefused) as refused:
        parse_file("users.csv", data)
    assert (refused.value.file, refused.value.message) == ("users.csv", message)


def test_status_and_date_rules_name_their_column():
    assert status({"status": "Active"}, ("active", "deleted"), "user u1") == "active"
    with pytest.raises(RowProblem) as bad:
        status({"status": "gone"}, ("active", "deleted"), "user u1")
    assert (bad.value.column, bad.value.message) == (
        "status", 'Improper status "gone" for user u1; status must be one of active, deleted')
    assert date({"start_date": "2026-09-01 08:30:00"}, "start_date", "term T1").isoformat() == \
        "2026-09-01T08:30:00+00:00"
    assert date({"start_date": ""}, "start_date", "term T1") is None
    with pytest.raises(RowProblem) as wrong:
        date({"end_date": "next week"}, "end_date", "term T1")
    assert (wrong.value.column, wrong.value.message) == (
        "end_date", 'Bad date format "next week" in end_date for term T1')
