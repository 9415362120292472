"""The Blackboard Learn-compatible dialect: the public REST API under /learn/api/public."""
