# src/store: mbox folders: index, cache, locking, append, flags, expunge.
