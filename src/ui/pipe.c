/* Piping messages to a command (mutt's |).  The command line is split
 * into argv as a shell would (quotes, backslashes) but run without one:
 * pipes, redirections and variables work only when the user writes
 * "sh -c '...'" himself.  The command gets the terminal for its output;
 * a key brings the screen back. */
#include <config.h>

#include <errno.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "ui/private.h"

/* Write all of DATA to FD; FALSE when the reader went away (EPIPE). */
static gboolean
pipe_write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return FALSE;
        data += w;
        len -= (gsize)w;
    }
    return TRUE;
}

/* "Press any key" on the plain terminal, read without Enter. */
static void
wait_key(void)
{
    if (!isatty(STDIN_FILENO))
        return;
    fputs(_("Press any key to go back to postie..."), stdout);
    fflush(stdout);
    struct termios old, raw;
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return;
    raw = old;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    char c;
    while (read(STDIN_FILENO, &c, 1) < 0 && errno == EINTR)
        ;
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
}

void
pipe_run(Ui *ui, gboolean tagged)
{
    g_autoptr(GArray) idx = ui_targets(ui, tagged);
    if (idx->len == 0)
        return;
    g_autofree char *cmd = prompt_line(ui, idx->len > 1 ? _("Pipe the tagged messages to: ")
                                                        : _("Pipe to command: "),
                                       ui->last_pipe, NULL, NULL);
    if (!cmd || !*g_strstrip(cmd))
        return;
    g_free(ui->last_pipe);
    ui->last_pipe = g_strdup(cmd);
    g_auto(GStrv) argv = NULL;
    g_autoptr(GError) error = NULL;
    if (!g_shell_parse_argv(cmd, NULL, &argv, &error)) {
        g_autofree char *shown = term_safe(cmd, -1, TERM_SAFE_DEFAULT);
        ui_error(ui, _("Cannot run \"%s\": %s"), shown, error->message);
        return;
    }
    /* Read everything first: a folder error is reported on the screen. */
    GPtrArray *msgs = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    for (guint k = 0; k < idx->len; k++) {
        GBytes *b = store_folder_read(ui->folder, g_array_index(idx, guint, k), &error);
        if (!b) {
            ui_error(ui, "%s", error->message);
            g_ptr_array_unref(msgs);
            return;
        }
        g_ptr_array_add(msgs, b);
    }
    ui_suspend();
    GPid pid;
    int in_fd = -1;
    gboolean ok = g_spawn_async_with_pipes(NULL, argv, NULL,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, &in_fd, NULL, NULL, &error);
    int status = 0;
    if (ok) {
        /* mutt's pipe_sep: a newline between messages */
        for (guint k = 0; k < msgs->len; k++) {
            gsize len;
            const char *data = g_bytes_get_data(msgs->pdata[k], &len);
            if ((k > 0 && !pipe_write_all(in_fd, "\n", 1)) || !pipe_write_all(in_fd, data, len))
                break;   /* the command stopped reading: its business */
        }
        close(in_fd);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        g_spawn_close_pid(pid);
        wait_key();
    }
    ui_resume();
    g_ptr_array_unref(msgs);
    g_autofree char *safe = term_safe(cmd, -1, TERM_SAFE_DEFAULT);
    if (!ok)
        ui_error(ui, _("Cannot run \"%s\": %s"), safe, error->message);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        ui_error(ui, _("\"%s\" failed (exit status %d)."), safe,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    else
        ui_message(ui, g_dngettext(PACKAGE, "Piped %u message to \"%s\".",
                                   "Piped %u messages to \"%s\".", idx->len), idx->len, safe);
}
