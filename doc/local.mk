# Manual pages: one for the program, one per command, one for the config file.
dist_man_MANS += doc/postie.1 doc/postie.conf.5

# The architecture map for contributors.
EXTRA_DIST += doc/HACKING.md
