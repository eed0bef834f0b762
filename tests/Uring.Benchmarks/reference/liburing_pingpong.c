// C liburing reference for the socketpair ping-pong: per round trip, one recv (MSG_WAITALL) on one
// side and one send on the other, submitted together with io_uring_submit_and_wait(2).
// Built only by the benchmark script (needs Debian's liburing-dev); never part of the product.
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void rounds(struct io_uring *ring, int fds[2], char *out, char *in, int size, long count)
{
    struct io_uring_cqe *cqe;
    for (long i = 0; i < count; i++) {
        io_uring_prep_recv(io_uring_get_sqe(ring), fds[1], in, size, MSG_WAITALL);
        io_uring_prep_send(io_uring_get_sqe(ring), fds[0], out, size, MSG_NOSIGNAL);
        io_uring_submit_and_wait(ring, 2);
        for (int got = 0; got < 2; got++) {
            io_uring_wait_cqe(ring, &cqe);
            io_uring_cqe_seen(ring, cqe);
        }
    }
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 200000;
    int sizes[] = {1, 4096};
    for (int s = 0; s < 2; s++) {
        int fds[2];
        struct io_uring ring;
        socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
        io_uring_queue_init(8, &ring, 0);
        char *out = calloc(1, sizes[s]), *in = calloc(1, sizes[s]);
        rounds(&ring, fds, out, in, sizes[s], count / 10);
        double start = now_ns();
        rounds(&ring, fds, out, in, sizes[s], count);
        printf("liburing pingpong %d B: %.1f ns/round trip\n", sizes[s], (now_ns() - start) / count);
        io_uring_queue_exit(&ring);
    }
    return 0;
}
