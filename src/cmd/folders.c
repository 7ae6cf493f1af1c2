/* postie folders: list, create, rename or delete mail folders. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/util.h"

static int
print_folders(const char *mail_dir, gboolean counts)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) names = store_list_folders(mail_dir, &error);
    if (!names) {
        cmd_print_error(error);
        return EXIT_FAIL;
    }
    int rc = EXIT_OK;
    for (guint i = 0; i < names->len; i++) {
        const char *name = names->pdata[i];
        g_autofree char *safe = term_safe(name, -1, 0);
        if (!counts) {
            printf("%s\n", safe);
            continue;
        }
        g_autofree char *path = g_build_filename(mail_dir, name, NULL);
        g_autoptr(GError) ferr = NULL;
        StoreFolder *f = store_folder_open(path, &ferr);
        if (!f) {
            cmd_print_error(ferr);
            rc = EXIT_FAIL;
            continue;
        }
        guint n = store_folder_count(f), unread = 0;
        for (guint k = 0; k < n; k++)
            if (!(store_folder_get(f, k)->flags & (MSG_READ | MSG_DELETED)))
                unread++;
        store_folder_close(f);
        printf("%s\t%u\t%u\n", safe, n, unread);
    }
    return rc;
}

int
cmd_folders(CmdContext *ctx, int argc, char **argv)
{
    gboolean counts = FALSE, force = FALSE;
    GOptionEntry entries[] = {
        { "count", 'c', 0, G_OPTION_ARG_NONE, &counts,
          N_("also print the number of messages and of unread messages"), NULL },
        { "force", 0, 0, G_OPTION_ARG_NONE, &force,
          N_("delete a folder even if it still holds messages"), NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries,
                           "[create NAME | rename OLD NEW | delete NAME]",
                           _("List the mail folders, or create, rename or delete one.")))
        return EXIT_USAGE;

    g_autofree char *mail_dir = cmd_mail_dir(ctx);
    if (!mail_dir)
        return EXIT_FAIL;
    g_autoptr(GError) error = NULL;
    if (!store_ensure_default_folders(mail_dir, &error)) {
        cmd_print_error(error);
        return EXIT_FAIL;
    }
    if (argc == 1)
        return print_folders(mail_dir, counts);

    const char *action = argv[1];
    gboolean ok;
    if (strcmp(action, "create") == 0 && argc == 3) {
        ok = store_create_folder(mail_dir, argv[2], &error);
    } else if (strcmp(action, "rename") == 0 && argc == 4) {
        ok = store_rename_folder(mail_dir, argv[2], argv[3], &error);
    } else if (strcmp(action, "delete") == 0 && argc == 3) {
        if (!force) {
            /* Never lose mail by a slip: a folder with messages needs
             * --force. */
            g_autofree char *path = store_path_for(mail_dir, argv[2], &error);
            StoreFolder *f = path ? store_folder_open(path, &error) : NULL;
            if (!f) {
                cmd_print_error(error);
                return EXIT_FAIL;
            }
            guint n = store_folder_count(f);
            store_folder_close(f);
            if (n > 0) {
                g_autofree char *safe = term_safe(argv[2], -1, 0);
                cmd_errorf(ngettext("folder %s holds %u message; use --force to delete it",
                                    "folder %s holds %u messages; use --force to delete it", n),
                           safe, n);
                return EXIT_FAIL;
            }
        }
        ok = store_delete_folder(mail_dir, argv[2], &error);
    } else {
        g_autofree char *safe = term_safe(action, -1, 0);
        cmd_usage_error("folders", _("unknown action or wrong number of arguments: %s"), safe);
        return EXIT_USAGE;
    }
    if (!ok) {
        cmd_print_error(error);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
