/* Internals of search/: shared by its files, never included from outside. */
#ifndef POSTIE_SEARCH_PRIVATE_H
#define POSTIE_SEARCH_PRIVATE_H

#include "search/pattern.h"

typedef enum {
    PN_AND, PN_OR, PN_NOT,
    PN_FROM, PN_TO, PN_CC, PN_SUBJECT, PN_SIMPLE,   /* header fields */
    PN_BODY, PN_WHOLE, PN_HEADER,                   /* message text */
    PN_NEW, PN_OLD, PN_UNREAD, PN_READ, PN_REPLIED, PN_FLAGGED, PN_DELETED,
    PN_TAGGED, PN_ALL,
    PN_DATE, PN_SIZE,
} PatternKind;

typedef struct PatternNode PatternNode;
struct PatternNode {
    PatternKind kind;
    PatternNode *a, *b;      /* AND, OR: both; NOT: a */
    char *str;               /* string atoms: casefolded unless case_sensitive */
    gboolean case_sensitive;
    gint64 min, max;         /* DATE: Unix times, SIZE: bytes; inclusive */
    /* text atoms: the folder-wide result, for (folder, generation, n) */
    guint8 *hits;
    StoreFolder *hits_folder;
    guint64 hits_generation;
    guint hits_n;
    gboolean hits_failed;
};

struct Pattern {
    PatternNode *root;
};

void pattern_node_free(PatternNode *n);

/* Does HAY contain NEEDLE (already casefolded when !CASE_SENSITIVE)? */
gboolean pattern_text_contains(const char *hay, const char *needle,
                               gboolean case_sensitive);
/* Smart case: casefolded copy of S unless it has an upper-case letter. */
char *pattern_fold_needle(const char *s, gboolean *case_sensitive);

#endif
