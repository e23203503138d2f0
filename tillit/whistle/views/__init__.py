"""The whistleblowing channel's pages: the reporter host's (`reporter`), and the staff's (`keys`, `cases`,
`oversight`), which share `common`."""
