/* Internals of abook/ shared between its files. */
#ifndef POSTIE_ABOOK_PRIVATE_H
#define POSTIE_ABOOK_PRIVATE_H

#include "abook/abook.h"

struct Abook {
    char *path;              /* contacts.vcf */
    char *used_path;         /* use-count state file */
    GPtrArray *contacts;     /* AbookContact*, owned */
    GHashTable *used;        /* folded key -> GUINT_TO_POINTER(count) */
    GHashTable *by_address;  /* address key -> AbookContact*, built on demand */
    GHashTable *removed;     /* UIDs removed or merged away since load */
    gint64 disk_mtime;       /* the file as loaded or saved: if another */
    goffset disk_size;       /* program changed it, its additions are kept */
    gboolean dirty;          /* contacts changed since load/save */
    gboolean used_dirty;
};

/* Case- and accent-insensitive form of S for comparing and searching:
 * NFKD, combining marks dropped, case-folded.  Newly allocated. */
char *abook_fold(const char *s);
/* Lower-cased address for comparisons (whole address, ASCII + casefold). */
char *abook_address_key(const char *address);

/* Fill FN from N, nickname or address when it is missing. */
void abook_contact_fill_fn(AbookContact *c);
/* Rebuild c->search_key. */
void abook_contact_index(AbookContact *c);
/* Copy into INTO what it lacks from FROM (addresses, nicknames, members,
 * unknown properties, empty fields; a different note is appended).
 * Returns TRUE if INTO changed. */
gboolean abook_contact_absorb(AbookContact *into, const AbookContact *from);
/* A new "urn:uuid:..." string. */
char *abook_new_uid(void);

/* Append "NAME:LINE: why" to REPORT->problems (REPORT may be NULL). */
void abook_report(AbookImportReport *report, const char *name, guint line,
                  const char *format, ...) G_GNUC_PRINTF(4, 5);

/* Parsers: each appends AbookContact* to OUT and problems to REPORT.
 * DATA is NUL-terminated (LEN excludes the NUL).  FALSE with ERROR when
 * the input as a whole is unusable. */
gboolean abook_parse_vcard(const char *data, gsize len, const char *name,
                           GPtrArray *out, AbookImportReport *report,
                           GError **error);
/* The same for the book's own file: addresses kept as unknown properties
 * are not reported again at every load. */
gboolean abook_parse_vcard_own(const char *data, gsize len, const char *name,
                               GPtrArray *out, AbookImportReport *report,
                               GError **error);
gboolean abook_parse_csv(const char *data, gsize len, const char *name,
                         GPtrArray *out, AbookImportReport *report,
                         GError **error);
gboolean abook_parse_ldif(const char *data, gsize len, const char *name,
                          GPtrArray *out, AbookImportReport *report,
                          GError **error);
gboolean abook_parse_mutt(const char *data, gsize len, const char *name,
                          GPtrArray *out, AbookImportReport *report,
                          GError **error);

/* Text in an unknown or broken charset as UTF-8: CHARSET when given and
 * known, else UTF-8 if valid, else windows-1252 (then ISO-8859-1, which
 * never fails).  *converted (optional) is set when bytes were converted. */
char *abook_to_utf8(const char *data, gssize len, const char *charset,
                    gboolean *converted);

/* Split S at the mailboxes of an RFC 5322 address list, decoded; each
 * element is a pair name (may be NULL) / address in NAMES and ADDRS.
 * Groups in the list are flattened. */
void abook_parse_address_list(const char *s, GPtrArray *names,
                              GPtrArray *addrs);

/* RFC 4180 reader: next record from *P (advancing it), fields in FIELDS
 * (char*, cleared first).  *LINE counts lines.  Returns FALSE at the end;
 * sets *unterminated when a quoted field never closes. */
gboolean abook_csv_next_record(const char **p, const char *end, char sep,
                               GPtrArray *fields, guint *line,
                               gboolean *unterminated);

/* The keys of H in a new array (borrowed strings). */
GPtrArray *abook_hash_keys(GHashTable *h);

/* vCard text value escaping (\\ \, \; \n) into OUT. */
void abook_vcard_escape(GString *out, const char *s);

#endif
