"""The SCORM Cloud API v2 face (Course Service), mounted under /api/v2."""
