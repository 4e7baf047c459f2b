/* rusage.c - runs one command and reports its wall time, CPU time and peak
 * resident set size (wait4's rusage) as one JSON object on standard error,
 * or in the file given by -o.  The benchmarks use it for the compile time
 * and peak memory of `pdtc compile` and for the agent's peak RSS, so they
 * need neither GNU time nor its output format.
 *
 * usage: pdt_rusage [-o OUT.json] [-i STDIN_FILE] [-O STDOUT_FILE] -- COMMAND [ARGS...]
 * Exit status: the command's (128 + signal when killed), 125 on a usage or
 * spawn error. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Child side: redirects stdin/stdout when asked, then execs argv. */
static void child(const char *in, const char *out, char **argv)
{
    if (in) {
        int fd = open(in, O_RDONLY);
        if (fd < 0 || dup2(fd, 0) < 0) _exit(125);
        close(fd);
    }
    if (out) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0) _exit(125);
        close(fd);
    }
    execvp(argv[0], argv);
    fprintf(stderr, "pdt_rusage: %s: %s\n", argv[0], strerror(errno));
    _exit(125);
}

int main(int argc, char **argv)
{
    const char *outjson = NULL, *in = NULL, *out = NULL;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc) goto usage;
        if (strcmp(argv[i], "-o") == 0) outjson = argv[i + 1];
        else if (strcmp(argv[i], "-i") == 0) in = argv[i + 1];
        else if (strcmp(argv[i], "-O") == 0) out = argv[i + 1];
        else goto usage;
    }
    if (i + 1 >= argc) goto usage;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("pdt_rusage: fork");
        return 125;
    }
    if (pid == 0) child(in, out, argv + i + 1);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("pdt_rusage: wait4");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = outjson ? fopen(outjson, "w") : stderr;
    if (!f) {
        perror(outjson);
        return 125;
    }
    fprintf(f, "{\"status\": %d, \"wall_s\": %.6f, \"user_s\": %.6f, \"sys_s\": %.6f, \"maxrss_kb\": %ld}\n", rc,
            wall, tv_s(ru.ru_utime), tv_s(ru.ru_stime), ru.ru_maxrss);
    if (outjson) fclose(f);
    return rc;
usage:
    fprintf(stderr, "usage: pdt_rusage [-o OUT.json] [-i STDIN_FILE] [-O STDOUT_FILE] -- COMMAND [ARGS...]\n");
    return 125;
}
