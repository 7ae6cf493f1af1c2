/* The floor of a cold open: map the folder and count its From_ lines
 * (one memmem for "\nFrom " after an empty line), nothing else.
 *
 *   bare-scan FOLDER   ->  "<messages> <seconds>"
 *
 * Timed inside the process like bench-open; see cold.sh. */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bare-scan FOLDER\n");
        return 2;
    }
    gint64 t0 = g_get_monotonic_time();
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
        perror(argv[1]);
        return 1;
    }
    const char *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    const char *p = map, *end = map + st.st_size;
    long n = memcmp(map, "From ", 5) == 0;
    while ((p = memmem(p, (size_t)(end - p), "\nFrom ", 6))) {
        if (p > map && p[-1] == '\n')
            n++;
        p++;
    }
    gint64 t1 = g_get_monotonic_time();
    printf("%ld %.3f\n", n, (t1 - t0) / 1e6);
    return 0;
}
