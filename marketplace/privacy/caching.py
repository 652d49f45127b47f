"""Pages that show personal data are never stored by the browser or a proxy."""

# no-store alone forbids keeping any copy; max-age adds nothing to it.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
