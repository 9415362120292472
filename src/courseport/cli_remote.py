"""CLI commands that talk to a running server through its admin API (`/_courseport/...`): the request
log (`courseport requests [--follow]`) and declarative seeding (`courseport seed FILE`). The server's
address and an admin token come from the options or from the data folder's credentials.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from courseport.file_modes import CREDENTIALS


def _admin_endpoint(url: str | None, token: str | None, data_dir: str | None) -> tuple[str, str]:
    """The server's base URL and an admin token: as given, else from the data folder's credentials.json."""
    if url and token:
        return url.rstrip("/"), token
    path = Path(data_dir or os.environ.get("COURSEPORT_DATA_DIR") or "data") / CREDENTIALS
    if not path.exists():
        raise click.ClickException(f"no {path}: give --url and --token, or --data-dir naming the server's folder")
    creds = json.loads(path.read_text())
    return (url or creds["base_url"]).rstrip("/"), token or creds["canvas"]["token"]


def _request_line(record: dict) -> str:
    return (f"{record['at']} {record['method']} {record['path']}{'?' + record['query'] if record['query'] else ''} "
            f"{record['status']} {record['face']} {record['duration_ms']:.1f}ms user={record['user_id']}")


@click.command("requests")
@click.option("--url", default=None, help="The server's base URL (default: base_url in credentials.json).")
@click.option("--token", default=None, envvar="COURSEPORT_ADMIN_TOKEN", help="An admin token (default: canvas.token).")
@click.option("--data-dir", default=None, help="Folder of credentials.json (default ./data).")
@click.option("--face", default=None, help="canvas, blackboard, d2l, scorm_cloud or player.")
@click.option("--status", default=None, type=int)
@click.option("--method", default=None)
@click.option("--path", "path_prefix", default=None, help="Only paths starting with this.")
@click.option("--since", default=None, help="Only requests at or after this ISO 8601 time.")
@click.option("--follow", is_flag=True, help="Keep printing requests as they come, until interrupted.")
@click.option("--interval", default=1.0, type=click.FloatRange(min=0.1), show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, with headers and bodies.")
def requests_command(url: str | None, token: str | None, data_dir: str | None, follow: bool, interval: float,
                     as_json: bool, **filters) -> None:
    """Print the request log (GET /_courseport/requests): the last requests to the faces, then with
    --follow every new one as it comes."""
    import time

    import httpx

    base, token = _admin_endpoint(url, token, data_dir)
    params = {"face": filters["face"], "status": filters["status"], "method": filters["method"],
              "path": filters["path_prefix"], "since": filters["since"]}
    params = {k: v for k, v in params.items() if v is not None}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        while True:
            answer = client.get("/_courseport/requests", params=params)
            if answer.status_code != 200:
                raise click.ClickException(f"{answer.status_code}: {answer.text}")
            for record in answer.json():
                click.echo(json.dumps(record) if as_json else _request_line(record))
                params["after"] = record["id"]
            if not follow:
                return
            time.sleep(interval)


@click.command("seed")
@click.argument("document", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", default=None, help="The server's base URL (default: base_url in credentials.json).")
@click.option("--token", default=None, envvar="COURSEPORT_ADMIN_TOKEN", help="An admin token (default: canvas.token).")
@click.option("--data-dir", default=None, help="Folder of credentials.json (default ./data).")
def seed_command(document: str, url: str | None, token: str | None, data_dir: str | None) -> None:
    """Make the accounts, terms, users, courses, sections, enrollments and content a YAML or JSON file
    describes (POST /_courseport/seed) and print the ids made, on each face, as JSON."""
    import httpx

    base, token = _admin_endpoint(url, token, data_dir)
    body = _seed_body(Path(document))
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client:
        answer = client.post("/_courseport/seed", content=body, headers={"Content-Type": "application/json"})
    if answer.status_code != 200:
        raise click.ClickException(f"{answer.status_code}: {answer.text}")
    click.echo(json.dumps(answer.json(), indent=2))



def _seed_body(path: Path) -> bytes:
    """The document as JSON, each package's `path` (relative to the document) read into its `data`."""
    import base64

    import yaml

    try:
        document = yaml.safe_load(path.read_text())  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise click.ClickException(f"{path} is not valid YAML or JSON: {str(exc).splitlines()[0]}") from None
    packages = document.get("packages") if isinstance(document, dict) else None
    for package in packages if isinstance(packages, list) else []:
        if isinstance(package, dict) and "path" in package:
            package_path = path.parent / str(package.pop("path"))
            if not package_path.is_file():
                raise click.ClickException(f"no package file at {package_path}")
            package["data"] = base64.b64encode(package_path.read_bytes()).decode()
            package.setdefault("filename", package_path.name)
    return json.dumps(document, default=str).encode()
