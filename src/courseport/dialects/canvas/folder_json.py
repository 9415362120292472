"""Canvas JSON for folders."""

from __future__ import annotations

from typing import Any

from courseport.core.content.folders import FolderView
from courseport.dialects.canvas.protocol import iso


def render_folder(fv: FolderView, origin: str) -> dict[str, Any]:
    # Who may not see a locked or hidden folder never gets it, so neither *_for_user flag is ever true.
    f = fv.folder
    return {
        "id": f.id, "name": f.name, "full_name": f.full_name, "context_id": f.course_id, "context_type": "Course",
        "parent_folder_id": f.parent_folder_id, "created_at": iso(f.created_at), "updated_at": iso(f.updated_at),
        "lock_at": iso(f.lock_at), "unlock_at": iso(f.unlock_at), "position": f.position, "locked": f.locked,
        "folders_url": f"{origin}/api/v1/folders/{f.id}/folders", "files_url": f"{origin}/api/v1/folders/{f.id}/files",
        "files_count": fv.files_count, "folders_count": fv.folders_count, "hidden": f.hidden,
        "locked_for_user": False, "hidden_for_user": False, "for_submissions": False, "can_upload": fv.can_upload,
    }
