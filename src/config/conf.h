/* config/: accounts and settings, read from a GKeyFile.
 *
 *   conf.c          load the file, build the structs below
 *   conf_check.c    validation: every problem as FILE:LINE: key: message
 *   conf_lines.c    map (group, key) to the line it stands on
 *   secret.c        passwords and OAuth tokens (password_command, ...)
 *
 * File format (see doc/postie.conf.5):
 *   [general]         settings for the whole program
 *   [account NAME]    one group per account
 *   [filter NAME]     rules that sort fetched mail, first match wins
 *   [keys]            key bindings for the screen (action = key ...)
 *   [colors]          colours for the screen (element = fg bg)
 */
#ifndef POSTIE_CONF_H
#define POSTIE_CONF_H

#include <glib.h>

typedef enum {
    SECURITY_TLS,       /* TLS from the first byte (POP3S 995, SMTPS 465) */
    SECURITY_STARTTLS,  /* plain connect, then STLS/STARTTLS, required */
    SECURITY_NONE,      /* no TLS at all: only on explicit request */
} Security;

typedef enum {
    ATTACH_ENCODING_MIME,
    ATTACH_ENCODING_UUENCODE,
} AttachEncoding;

/* One server an account talks to (its POP3 or its SMTP server). */
typedef struct {
    char *host;
    guint16 port;          /* defaults: POP3 995/110, SMTP 465/587 */
    Security security;     /* default: tls for POP3, starttls for SMTP */
    char *user;            /* default: the account's address */
    char *auth;            /* mechanism name, or "auto" (the default) */
    char *ca_file;         /* NULL: the system CA store */
    char *tls_fingerprint; /* pinned SHA-256 of the certificate, hex with
                              or without colons, lower case; or NULL */
    gboolean password;     /* the file holds a password for this server
                              (under password_key): conf_server_secret()
                              reads it from there each time it is needed,
                              so it is never kept in the parsed config */
    char *password_key;    /* "password" or "smtp_password", or NULL */
    char *password_command;/* argv string run without a shell, or NULL */
} ServerConf;

typedef struct {
    char *id;              /* NAME from the group "[account NAME]" */
    char *conf_path;       /* the file and group it comes from (a */
    char *conf_group;      /* password is read from there on demand) */
    char *real_name;       /* "name": shown in From */
    char *address;         /* "address": user@example.org */
    gboolean is_default;   /* "default": identity used for new mail */

    ServerConf pop3;
    ServerConf smtp;
    gboolean allow_plaintext_password;  /* send secrets over SECURITY_NONE */
    char *oauth_token_command;          /* for XOAUTH2 / OAUTHBEARER */
    int timeout;                        /* seconds for connect and reads */

    /* fetching */
    gboolean fetch;                /* include in "fetch all" (default true) */
    char *inbox;                   /* folder for fetched mail: "Inbox" */
    gboolean leave_on_server;      /* default TRUE */
    int delete_after_days;         /* 0: never */
    gboolean delete_when_deleted;  /* expunged here -> DELE there */
    gboolean headers_only;         /* TOP n 0 for new mail */
    guint64 size_limit;            /* bytes; larger mail: headers only; 0 = none */

    /* sending */
    AttachEncoding attachment_encoding;
    char *signature_file;
    char *sent_folder;             /* default "Sent" */
} Account;

typedef enum {
    FILTER_CONTAINS,   /* case-insensitive substring */
    FILTER_MATCHES,    /* GRegex, case-insensitive unless the pattern says */
} FilterKind;

typedef struct {
    char *id;          /* NAME from "[filter NAME]" */
    char *account;     /* only for mail fetched by this account, or NULL */
    char *header;      /* From, To, Cc, Delivered-To, List-Id, ... */
    FilterKind kind;
    char *pattern;
    GRegex *regex;     /* compiled when kind == FILTER_MATCHES */
    char *folder;      /* destination folder name */
} Filter;

typedef struct {
    char *path;                /* the file this came from */
    char *mail_dir;            /* folder directory, ~ expanded */
    char *editor;              /* NULL: $VISUAL, $EDITOR, then vi */
    int check_interval;        /* minutes between automatic fetches; 0 off */
    char *html_converter;      /* argv string, e.g. "w3m -dump -T text/html" */
    char *download_dir;        /* default directory for saved attachments */
    char *sort;                /* date | sender | subject | size */
    gboolean threads;
    char *preview;             /* below | right | off */
    int preview_size;          /* percent of the screen */
    gboolean folder_list;
    gboolean color;
    gboolean confirm_delete;
    int lock_timeout;          /* seconds to wait for a folder lock */

    GPtrArray *accounts;       /* Account*, in file order */
    GPtrArray *filters;        /* Filter*, in file order */
    GHashTable *keys;          /* action -> key spec (strings), from [keys] */
    GHashTable *colors;        /* element -> "fg bg", from [colors] */

    GKeyFile *keyfile;         /* the parsed file, or NULL */
    GHashTable *lines;         /* private to config/: where keys stand */
} PostieConfig;

typedef enum {
    CONF_WARNING,
    CONF_ERROR,
} ConfSeverity;

typedef struct {
    ConfSeverity severity;
    char *file;
    int line;                  /* 0 when not tied to a line */
    char *key;                 /* NULL when not tied to a key */
    char *message;
} ConfProblem;

/* Load PATH (NULL: the default location).  Returns NULL with *error set
 * when the file cannot be read (POSTIE_ERROR_NOT_FOUND if it does not
 * exist) or does not parse.  Otherwise returns the configuration and, if
 * PROBLEMS is not NULL, a new array of ConfProblem* found by validation;
 * the configuration is usable only when none of them is an error. */
PostieConfig *conf_load(const char *path, GPtrArray **problems,
                        GError **error);
void conf_free(PostieConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PostieConfig, conf_free)

/* A configuration with defaults only and no accounts (for a first run). */
PostieConfig *conf_new_default(void);

gboolean conf_has_errors(GPtrArray *problems);
/* Add a ConfProblem to PROBLEMS (an array freeing with conf_problem_free);
 * takes ownership of MESSAGE.  For checks made outside config/ (the
 * screen's [keys] and [colors]). */
void conf_problem_add(GPtrArray *problems, ConfSeverity severity,
                      const char *file, int line, const char *key,
                      char *message);
void conf_problem_free(gpointer problem);
/* "FILE:LINE: key: message" (parts left out when unknown). */
char *conf_problem_format(const ConfProblem *p);

/* The line (1-based) of KEY in GROUP, of GROUP's header when KEY is NULL,
 * or 0 when not found. */
int conf_line_of(const PostieConfig *cfg, const char *group, const char *key);

Account *conf_find_account(PostieConfig *cfg, const char *id);
Account *conf_default_account(PostieConfig *cfg);
/* The account whose address matches ADDR (case-insensitive), or NULL. */
Account *conf_account_for_address(PostieConfig *cfg, const char *addr);

/* The secret to log in to SERVER of ACCOUNT: password_command's first
 * output line, else the password, read again from the configuration file
 * (which must still be private).  Error (naming the account) when the
 * command fails, prints nothing, or no secret is configured.  Free the
 * result with secret_free().  From the first call on, the process makes
 * no core dump and cannot be inspected (secrets_protect_process). */
char *conf_server_secret(const Account *account, const ServerConf *server,
                         GError **error);
/* First output line of oauth_token_command (free with secret_free()). */
char *conf_oauth_token(const Account *account, GError **error);
/* Run an argv string (split like a shell would, but run without one) and
 * return the first line of its standard output. WHAT names it in errors. */
char *conf_run_for_line(const char *command, const char *what, GError **error);

const char *security_name(Security s);

/* Parse "tls" | "starttls" | "none" (FALSE if unknown). */
gboolean security_from_string(const char *s, Security *out);

#endif
