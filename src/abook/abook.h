/* abook/: the address book.  Contacts and groups live in one vCard 4.0
 * file (RFC 6350), $XDG_DATA_HOME/postie/contacts.vcf, so other tools can
 * read it.  Everything is loaded once into memory; searching and completion
 * never touch the disk.  The file is only ever replaced whole (temp file,
 * fsync, rename, mode 0600).
 *
 *   abook.h     this header: the public API
 *   private.h   internals shared by the files below
 *   contact.c   AbookContact: create, free, names, merging two contacts
 *   book.c      Abook: open, save, add, remove, merge duplicates, lookups
 *   used.c      use counts, kept apart from the contacts (see below)
 *   search.c    accent- and case-insensitive search, completion, group expansion
 *   vcard.c     vCard 2.1/3.0/4.0 reader (unfolding, escapes, QP, CHARSET)
 *   vcard_write.c  vCard 4.0 writer (escaping, folding at 75 octets)
 *   csv.c       RFC 4180 reader and writer; Thunderbird/Outlook/Google columns
 *   ldif.c      LDIF reader (Thunderbird export)
 *   mutt.c      mutt alias file reader
 *   import.c    format detection, charset repair, import-with-merge, export
 *   key.c       inline public keys in vCard KEY properties (for encryption)
 *
 * Use counts: how often each address (or group name) was sent to is kept
 * in $XDG_STATE_HOME/postie/abook-used, one "COUNT<TAB>address" line each,
 * rewritten atomically.  It is state, not data: the contacts file is not
 * rewritten on every message sent, and other tools never see it.
 *
 * Order of calls:
 *   ab = abook_open(NULL, &err);            load once (missing file: empty)
 *   abook_search / abook_complete / abook_expand ...   in memory, cheap
 *   abook_add, abook_remove, edit fields then abook_changed(ab, c) ...
 *   abook_note_used(ab, addr) after a message went out
 *   abook_save(ab, &err);                   writes what changed
 *   abook_free(ab);
 *
 * Strings are UTF-8.  Text that came from outside (every field) must go
 * through term_safe() before it is drawn or printed.  An Abook is not
 * locked: use it from one thread (the screen's).  Addresses are parsed
 * by mime/header.h (the program's one RFC 5322 address parser).
 */
#ifndef POSTIE_ABOOK_H
#define POSTIE_ABOOK_H

#include <glib.h>

/* One mail address of a contact. */
typedef struct {
    char *address;       /* "jane@example.org" */
    char *type;          /* vCard TYPE, lower case, comma separated ("work"), or NULL */
    int pref;            /* vCard PREF 1..100 (1 = most preferred), 0 = none */
} AbookEmail;

/* A contact (KIND individual, the default) or a group (KIND:group).
 * Fields may be edited directly; call abook_changed() afterwards. */
typedef struct {
    char *uid;           /* "urn:uuid:...", made up when missing */
    gboolean is_group;
    char *fn;            /* full name (vCard FN): always set once in a book */
    /* Structured name (vCard N); each NULL when empty. */
    char *family, *given, *additional, *prefix, *suffix;
    GPtrArray *nicknames;    /* char* */
    GPtrArray *emails;       /* AbookEmail* */
    char *org;           /* organisation; units separated by ';' */
    char *note;          /* may hold newlines */
    /* Groups: members as vCard MEMBER URIs, "mailto:a@b" or "urn:uuid:..." */
    GPtrArray *members;      /* char* */
    /* Properties this code does not interpret (TEL, ADR, PHOTO, X-...),
     * kept as unfolded vCard 4.0 lines and written back unchanged. */
    GPtrArray *extra;        /* char* */
    /* private: lower-case folded text for searching, rebuilt by abook_changed */
    char *search_key;
} AbookContact;

typedef struct Abook Abook;

/* ---- contacts ----------------------------------------------------------- */

/* ---- public keys in KEY properties (key.c) ---------------------------- */

typedef enum {
    ABOOK_KEY_NONE,
    ABOOK_KEY_PGP,        /* an OpenPGP public key (binary or armored) */
    ABOOK_KEY_X509,       /* an X.509 certificate (S/MIME) */
} AbookKeyKind;

/* The key in one vCard KEY property LINE (as AbookContact.extra keeps
 * them), when it is inline: a data: URI, base64 (ENCODING=b), or an
 * armored block.  NULL for anything else (a URL is never fetched). */
GBytes *abook_key_from_line(const char *line, AbookKeyKind *kind);
/* The first inline key of kind WANT among C's KEY properties, or NULL. */
GBytes *abook_contact_key(const AbookContact *c, AbookKeyKind want);

AbookContact *abook_contact_new(void);
void abook_contact_free(AbookContact *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AbookContact, abook_contact_free)
/* Add an address (ignored if the contact has it already, any case).
 * Returns the entry. */
AbookEmail *abook_contact_add_email(AbookContact *c, const char *address,
                                    const char *type, int pref);
/* Add a nickname unless present (case-insensitive). */
void abook_contact_add_nickname(AbookContact *c, const char *nick);
/* The address to use for the contact: lowest PREF, else the first. NULL
 * for a contact without addresses (and for groups). */
const char *abook_contact_primary(const AbookContact *c);
/* "Name <addr>" with the name quoted when RFC 5322 needs it; just "addr"
 * when there is no name.  Newly allocated. */
char *abook_format_address(const char *name, const char *address);
/* Is ADDRESS usable as a mail address (local@domain, no spaces or
 * control characters)? */
gboolean abook_address_valid(const char *address);

/* ---- the book ------------------------------------------------------------ */

/* Load PATH (NULL: paths_data_dir()/contacts.vcf) and the use counts.  A
 * missing file is an empty book.  A file that cannot be read, or holds no
 * vCard at all, is an error (so it is never overwritten).  Lines that
 * could not be used are described in *problems when not NULL ("FILE:LINE:
 * why", char*): a line without ':' is kept as the rest of the line before
 * it (a fold without its leading space); lines outside any vCard are lost
 * at the next save. */
Abook *abook_open(const char *path, GPtrArray **problems, GError **error);
/* An empty book that will be saved to PATH (tests, imports into a new file). */
Abook *abook_new(const char *path, const char *used_path);
void abook_free(Abook *ab);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Abook, abook_free)
const char *abook_path(const Abook *ab);

/* Write the contacts file if anything changed, and the use counts if they
 * changed.  Both atomically, mode 0600; the directories are created.  If
 * another program rewrote the contacts file since it was loaded, the
 * contacts it added are taken in first (merged by address), so nothing is
 * lost; contacts removed here stay removed. */
gboolean abook_save(Abook *ab, GError **error);

guint abook_count(const Abook *ab);
/* Contacts and groups in the order of the file (new ones at the end). */
AbookContact *abook_get(const Abook *ab, guint i);

/* Take ownership of C and add it (gives it a UID and a FN if missing). */
AbookContact *abook_add(Abook *ab, AbookContact *c);
/* Remove and free C.  Groups lose it as a member. */
void abook_remove(Abook *ab, AbookContact *c);
/* Tell the book C was edited (rebuilds its search data, marks the book dirty). */
void abook_changed(Abook *ab, AbookContact *c);

/* The contact holding ADDRESS (case-insensitive), or NULL. */
AbookContact *abook_find_address(const Abook *ab, const char *address);
/* The contact or group whose FN is NAME (case-insensitive), or NULL. */
AbookContact *abook_find_name(const Abook *ab, const char *name, gboolean group);

/* "Add the sender of a message": DISPLAY is a decoded display-form address
 * ("Name <addr>", "addr", "\"Doe, J\" <addr>").  If the address is known,
 * nothing is added and *is_new is FALSE; a missing name is filled in.
 * Returns the contact (owned by the book), or NULL with an error when no
 * usable address is in DISPLAY. */
AbookContact *abook_add_from_display(Abook *ab, const char *display,
                                     gboolean *is_new, GError **error);

/* Merge FROM into INTO (both in the book): INTO keeps its fields and gains
 * what it lacks, all addresses, nicknames, notes and unknown properties;
 * FROM is removed and group references to it now point at INTO. */
void abook_merge(Abook *ab, AbookContact *into, AbookContact *from);
/* Merge every set of contacts sharing an address or a full name (groups:
 * the same name).  Returns how many contacts were merged away. */
guint abook_merge_duplicates(Abook *ab);

/* ---- finding ------------------------------------------------------------- */

/* Contacts and groups where QUERY is a substring of a name, nickname,
 * address, organisation (case- and accent-insensitive: "jose" finds
 * "José").  An empty QUERY gives everything.  Sorted by name.  The array
 * holds borrowed pointers, valid until a contact is removed or merged;
 * free it with g_ptr_array_unref. */
GPtrArray *abook_search(const Abook *ab, const char *query);

/* Completion for To/Cc/Bcc: strings "Name <addr>" (and group names) whose
 * name words, nicknames or address start with PREFIX (case- and
 * accent-insensitive), ranked by use count, then name, then address; at
 * most MAX (0: no limit).  Free with g_ptr_array_unref. */
GPtrArray *abook_complete(const Abook *ab, const char *prefix, guint max);

/* If NAME is a group (its FN, case-insensitive), its members' addresses
 * as display strings ready for a To: header ("Name <addr>", or "addr" for
 * members that are not contacts), nested groups expanded, each address
 * once.  NULL when NAME is not a group.  Call it on each recipient before
 * building the message. */
GPtrArray *abook_expand(const Abook *ab, const char *name);

/* ---- use counts --------------------------------------------------------- */

/* Count one more message sent to ADDRESS (a bare address or "Name <addr>",
 * or a group name).  Saved by abook_save. */
void abook_note_used(Abook *ab, const char *address);
guint abook_used_count(const Abook *ab, const char *address);

/* ---- import and export ---------------------------------------------------- */

typedef enum {
    ABOOK_FORMAT_AUTO,
    ABOOK_FORMAT_VCARD,
    ABOOK_FORMAT_MUTT,
    ABOOK_FORMAT_CSV,
    ABOOK_FORMAT_LDIF,
} AbookFormat;

/* "vcard", "mutt", "csv", "ldif" (also "vcf", "alias", "auto"); FALSE if unknown. */
gboolean abook_format_from_name(const char *name, AbookFormat *format);
const char *abook_format_name(AbookFormat format);
/* Guess from the content (and, failing that, NAME's extension). */
AbookFormat abook_format_detect(const char *data, gsize len, const char *name);

typedef struct {
    AbookFormat format;     /* the format actually read */
    const char *variant;    /* CSV: "Thunderbird", "Outlook", "Google" or "generic" */
    guint found;            /* contacts and groups read from the file */
    guint added;            /* new in the book */
    guint merged;           /* merged into an existing contact */
    GPtrArray *problems;    /* char*: "FILE:LINE: why", what was skipped */
    char *note;             /* e.g. "read as windows-1252 (not valid UTF-8)", or NULL */
} AbookImportReport;
void abook_import_report_clear(AbookImportReport *r);

/* Parse DATA (LEN bytes; NAME is used in messages) as FORMAT into a new
 * array of AbookContact* (free with g_ptr_array_unref).  Lines that are
 * skipped go to REPORT->problems.  NULL with an error when the input as a
 * whole cannot be used (unknown format, unterminated quoted CSV field,
 * no contacts at all while there were problems). */
GPtrArray *abook_parse(const char *data, gsize len, const char *name,
                       AbookFormat format, AbookImportReport *report,
                       GError **error);

/* Read PATH and merge its contacts into AB by address (by name for
 * contacts without addresses and for groups).  On error AB is unchanged.
 * The caller saves. */
gboolean abook_import_file(Abook *ab, const char *path, AbookFormat format,
                           AbookImportReport *report, GError **error);
/* The same for contacts already parsed (takes the elements of CONTACTS). */
void abook_import_contacts(Abook *ab, GPtrArray *contacts,
                           AbookImportReport *report);

/* The whole book as a vCard 4.0 file (CRLF lines), or as CSV (one row per
 * contact; groups as a "Groups" column of each member).  Newly allocated. */
char *abook_export_vcard(const Abook *ab);
char *abook_export_csv(const Abook *ab);

/* One contact as a vCard 4.0 text. */
char *abook_contact_to_vcard(const AbookContact *c);

#endif
