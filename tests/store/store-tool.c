/* A small driver of store/ for the shell tests: append, change flags,
 * expunge, hold a lock, rewrite in a loop (to be killed), count.
 *
 *   store-tool append FOLDER [FLAGS]        message on stdin
 *   store-tool generate FOLDER N [SIZE]     N messages of about SIZE bytes
 *   store-tool flag FOLDER N FLAGS          set message N's flags, save
 *   store-tool expunge FOLDER N...          delete messages N..., expunge
 *   store-tool hold-lock FOLDER             lock, print "locked", wait for EOF
 *   store-tool rewrite-loop FOLDER          toggle flags of all, save, forever
 *   store-tool count FOLDER
 *   store-tool read FOLDER N                message N's bytes to stdout
 *
 * FLAGS are letters: R read, O old, A replied, F flagged, D deleted,
 * P partial; "-" for none.  Numbers start at 1.  Exit 1 on error, with the
 * message on stderr. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "util/util.h"

static guint32
parse_flags(const char *s)
{
    guint32 f = 0;
    for (; *s; s++) {
        switch (*s) {
        case 'R': f |= MSG_READ; break;
        case 'O': f |= MSG_OLD; break;
        case 'A': f |= MSG_REPLIED; break;
        case 'F': f |= MSG_FLAGGED; break;
        case 'D': f |= MSG_DELETED; break;
        case 'P': f |= MSG_PARTIAL; break;
        default: break;
        }
    }
    return f;
}

static int
fail(GError *error)
{
    fprintf(stderr, "store-tool: %s\n", error->message);
    g_error_free(error);
    return 1;
}

static int
generate(const char *path, int n, int size)
{
    GError *error = NULL;
    StoreAppender *a = store_appender_open(path, &error);
    if (!a)
        return fail(error);
    GString *body = g_string_new(NULL);
    for (int i = 1; i <= n; i++) {
        g_string_printf(body, "From: Sender %d <s%d@example.org>\nTo: me@example.org\n"
                              "Subject: generated %d\nMessage-ID: <gen%d@example.org>\n"
                              "Date: Mon, 1 Jan 2024 10:00:00 +0000\n\n",
                        i, i, i, i);
        g_string_append(body, "From the generator, a line to quote.\n");
        while ((int)body->len < size)
            g_string_append(body, "lorem ipsum dolor sit amet consectetur adipiscing elit\n");
        if (!store_appender_add(a, body->str, body->len, 0, &error)) {
            store_appender_abort(a);
            return fail(error);
        }
    }
    g_string_free(body, TRUE);
    if (!store_appender_close(a, &error))
        return fail(error);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: store-tool COMMAND FOLDER ...\n");
        return 2;
    }
    const char *cmd = argv[1], *path = argv[2];
    GError *error = NULL;

    if (strcmp(cmd, "append") == 0) {
        GIOChannel *in = g_io_channel_unix_new(0);
        g_io_channel_set_encoding(in, NULL, NULL);
        char *data = NULL;
        gsize len = 0;
        if (g_io_channel_read_to_end(in, &data, &len, &error) != G_IO_STATUS_NORMAL)
            return fail(error);
        g_io_channel_unref(in);
        gboolean ok = store_append(path, data, len, argc > 3 ? parse_flags(argv[3]) : 0, &error);
        g_free(data);
        return ok ? 0 : fail(error);
    }
    if (strcmp(cmd, "generate") == 0 && argc >= 4)
        return generate(path, atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 600);
    if (strcmp(cmd, "hold-lock") == 0) {
        StoreAppender *a = store_appender_open(path, &error);
        if (!a)
            return fail(error);
        printf("locked\n");
        fflush(stdout);
        char buf[64];
        while (read(0, buf, sizeof buf) > 0)
            ;
        store_appender_abort(a);
        return 0;
    }

    StoreFolder *f = store_folder_open(path, &error);
    if (!f)
        return fail(error);
    int rc = 0;
    if (strcmp(cmd, "count") == 0) {
        printf("%u\n", store_folder_count(f));
    } else if (strcmp(cmd, "read") == 0 && argc == 4) {
        GBytes *b = store_folder_read(f, (guint)atoi(argv[3]) - 1, &error);
        if (!b) {
            rc = fail(error);
        } else {
            gsize len;
            const char *d = g_bytes_get_data(b, &len);
            fwrite(d, 1, len, stdout);
            g_bytes_unref(b);
        }
    } else if (strcmp(cmd, "flag") == 0 && argc == 5) {
        guint i = (guint)atoi(argv[3]) - 1;
        store_folder_set_flags(f, i, parse_flags(argv[4]));
        if (!store_folder_sync(f, FALSE, NULL, &error))
            rc = fail(error);
    } else if (strcmp(cmd, "expunge") == 0) {
        for (int k = 3; k < argc; k++) {
            guint i = (guint)atoi(argv[k]) - 1;
            const StoreMessage *m = store_folder_get(f, i);
            if (m)
                store_folder_set_flags(f, i, m->flags | MSG_DELETED);
        }
        if (!store_folder_sync(f, TRUE, NULL, &error))
            rc = fail(error);
    } else if (strcmp(cmd, "rewrite-loop") == 0) {
        for (guint round = 0;; round++) {
            for (guint i = 0; i < store_folder_count(f); i++)
                store_folder_set_flags(f, i, (round & 1) ? MSG_READ | MSG_FLAGGED : MSG_OLD);
            if (!store_folder_sync(f, FALSE, NULL, &error)) {
                rc = fail(error);
                break;
            }
            if (round == 0) {
                printf("ready\n");
                fflush(stdout);
            }
        }
    } else {
        fprintf(stderr, "store-tool: unknown command %s\n", cmd);
        rc = 2;
    }
    store_folder_close(f);
    return rc;
}
