"""Workshop mode: the facilitator dashboard, exports and the completion record."""
