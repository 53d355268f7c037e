/* replay.c - runs a fuzz target's inputs without libFuzzer: each file named on the command line,
 * or each file in a folder named there, goes once through LLVMFuzzerTestOneInput. Linked with
 * every tests/fuzz/fuzz_*.c in the normal and the sanitizer builds, so every test run replays
 * the seeds in tests/fuzz/corpus/ (and any crash input a fuzzing run saves) under ASan and UBSan.
 * Exits 0 after all inputs, 1 when a path cannot be read or holds no input at all. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1 << 20)

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    size_t n = f && buf ? fread(buf, 1, REPLAY_MAX_INPUT, f) : 0;
    int ok = f && buf && !ferror(f);
    if (ok)
        (void)LLVMFuzzerTestOneInput(buf, n);
    else
        fprintf(stderr, "replay: cannot read %s\n", path);
    if (f)
        fclose(f);
    free(buf);
    return ok;
}

/* Replays path, a file or a folder of files; returns how many inputs, or -1 on an error. */
static long replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: no such file or folder: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path) ? 1 : -1;
    struct dirent **names;
    int count = scandir(path, &names, NULL, alphasort);
    if (count < 0) {
        fprintf(stderr, "replay: cannot list %s\n", path);
        return -1;
    }
    long done = 0;
    for (int i = 0; i < count; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(file, &st) == 0 && S_ISREG(st.st_mode))
            done = done < 0 || !replay_file(file) ? -1 : done + 1;
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++) {
        long n = replay(argv[i]);
        if (n <= 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], n == 0 ? "no inputs" : "failed");
            return 1;
        }
        total += n;
    }
    printf("replayed %ld inputs\n", total);
    return total > 0 ? 0 : 1;
}
