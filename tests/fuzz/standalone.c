/* standalone.c - replays inputs through a libFuzzer target without libFuzzer
 * (any compiler): `fuzz_X_replay FILE|DIR...` calls LLVMFuzzerInitialize (if
 * the target has one) and then LLVMFuzzerTestOneInput once per file.  ctest
 * runs it over tests/fuzz/regressions/<target>/ (every crash reproducer a
 * fuzzing run ever found) and the examples, in the normal and the ASan+UBSan
 * builds, so a fixed crash stays fixed. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    replayed++;
    return 0;
}

static int replay_path(const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    int rc = 0;
    if (stat(path, &st) != 0)
        return 0;  /* an absent optional directory */
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    dir = opendir(path);
    if (!dir)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        char sub[4096];
        if (e->d_name[0] == '.')
            continue;  /* ., .., and hidden files such as .gitkeep */
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (replay_path(sub) < 0)
            rc = -1;
    }
    closedir(dir);
    return rc;
}

int main(int argc, char **argv)
{
    int i, rc = 0;
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++)
        if (replay_path(argv[i]) < 0)
            rc = 1;
    printf("replayed %u inputs\n", replayed);
    return rc;
}
