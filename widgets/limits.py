"""Every size limit of the kit, in one place.

A school server is shared by a room or a district, so no single upload or text box may hold a core
or fill the memory. Each limit here is named once; views and readers import it and put the number
in the message a user sees, so the words and the rule cannot drift apart.
"""

from __future__ import annotations

MIB = 1024 * 1024

# An uploaded file as it arrives (the websocket limit in voila.json is larger, 100 MB, so this rule,
# with its plain message, is the one a user meets).
MAX_UPLOAD_BYTES = 25 * MIB
# What one gzip layer may expand to. A district's 100,000-response survey is about 12 MB unpacked.
MAX_UNPACKED_BYTES = 100 * MIB
# An Excel workbook is a zip: the sum of its parts once unpacked, and the worst part's ratio.
MAX_XLSX_UNPACKED_BYTES = 150 * MIB
MAX_XLSX_RATIO = 200
# Text typed into one box (a reflection, a note, a letter to check).
MAX_TEXT_CHARS = 20_000
# A letter or message pasted into the message checker.
MAX_MESSAGE_CHARS = 100_000
# A family's answer on the parents' evening request page: access needs and a phone number.
MAX_FAMILY_NOTE_CHARS = 500
MAX_PHONE_CHARS = 40
# Families one request window may invite (a large secondary school has about 1,500).
MAX_INVITES = 5_000


def size_words(n_bytes: int) -> str:
    """A byte count as a teacher reads it ("25 MB")."""
    if n_bytes >= MIB:
        return f"{n_bytes / MIB:.0f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes} bytes"

# A room session's warm-up (widgets/workshop/room.py): how many participants one facilitator may
# ask the server to get ready for, on how many modules at once, and for how long. Each warm kernel
# holds memory (about 100 MB), so a mistyped "600" must not fill a school server.
MAX_ROOM_PARTICIPANTS = 100
MAX_ROOM_MODULES = 4
MAX_ROOM_WARM_KERNELS = 200
MAX_ROOM_SESSION_HOURS = 8
# Parents' evening reminders (widgets/evening/reminders.py, mailer.py). One press of "Send" may
# mail at most this many families, so a wrong file cannot mail a district; the rest wait for
# another press and the page says how many.
MAX_REMINDERS_PER_SEND = 1500
# Seconds the kit waits for the school's mail server to answer one step (connect, send one
# message); a server that does not answer in time fails that message with this reason.
SMTP_TIMEOUT_SECONDS = 30
# One text message: providers split longer texts into several paid parts; the export shortens
# (and counts) anything longer.
MAX_SMS_CHARS = 320
# An email address (RFC 5321's path limit) and the office's own test address.
MAX_EMAIL_CHARS = 254
# Teachers' links issued for one published roster, and meetings in it.
MAX_ROSTER_MEETINGS = 20_000
# A follow-up note typed by the office about one family.
MAX_FOLLOWUP_NOTE_CHARS = 2_000
