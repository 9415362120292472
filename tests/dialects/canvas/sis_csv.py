"""SIS import CSV files and zips the tests upload, and the helpers that run an import to its end."""

from __future__ import annotations

import io
import zipfile

ACCOUNTS = ("account_id,parent_account_id,name,status\n"
            "SCI,,Science,active\n"
            "BIO,SCI,Biology,active\n")
TERMS = ("term_id,name,status,start_date,end_date\n"
         "T1,Fall 2026,active,2026-09-01 00:00:00,2026-12-20T00:00:00Z\n")
USERS = ("user_id,login_id,password,first_name,last_name,short_name,email,status\n"
         "u1,alice,secret-pass-1,Alice,Smith,Ali,alice@example.org,active\n"
         "u2,bob,,Bob,Jones,,bob@example.org,active\n"
         "t1,tess,,Tess,Teacher,,,active\n")
COURSES = ("course_id,short_name,long_name,account_id,term_id,status,start_date,end_date\n"
           "BIO101,BIO 101,Biology 101,BIO,T1,published,2026-09-02,\n")
SECTIONS = ("section_id,course_id,name,status,start_date,end_date\n"
            "BIO101-A,BIO101,Section A,active,,\n")
ENROLLMENTS = ("course_id,section_id,user_id,role,status\n"
               "BIO101,,t1,teacher,active\n"
               ",BIO101-A,u1,student,active\n"
               "BIO101,,u2,student,active\n")
ALL = {"enrollments.csv": ENROLLMENTS, "sections.csv": SECTIONS, "courses.csv": COURSES, "users.csv": USERS,
       "terms.csv": TERMS, "accounts.csv": ACCOUNTS}  # listed against the order they must be applied in


def zip_of(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def upload(client, files_or_bytes: bytes | str, name: str = "users.csv", account: str = "1", **fields: str):
    """POST one import as canvasapi sends it: the multipart `attachment` part and the form fields."""
    data = files_or_bytes.encode() if isinstance(files_or_bytes, str) else files_or_bytes
    return client.post(f"/api/v1/accounts/{account}/sis_imports", files={"attachment": (name, data)},
                       data={"import_type": "instructure_csv", **fields})


def imported(world, client, files_or_bytes: bytes | str, name: str = "users.csv", **fields: str) -> dict:
    """Upload, run the job, and answer the finished import as GET shows it."""
    made = upload(client, files_or_bytes, name, **fields)
    assert made.status_code == 200, made.text
    assert world.run_jobs() == 1
    return client.get(f"/api/v1/accounts/1/sis_imports/{made.json()['id']}").json()
