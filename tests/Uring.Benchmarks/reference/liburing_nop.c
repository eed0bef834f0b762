// C liburing reference for the NOP round trip: submit a batch of NOPs with one
// io_uring_submit_and_wait, reap the batch, repeat. Prints ns per operation for batch 1, 8, 64.
// Built only by the benchmark script (needs Debian's liburing-dev); never part of the product.
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double run(struct io_uring *ring, int batch, long total)
{
    struct io_uring_cqe *cqes[64];
    double start = now_ns();
    for (long done = 0; done < total; done += batch) {
        for (int i = 0; i < batch; i++) {
            struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
            io_uring_prep_nop(sqe);
            io_uring_sqe_set_data64(sqe, (unsigned long long)i);
        }
        io_uring_submit_and_wait(ring, batch);
        int got = 0;
        while (got < batch) {
            unsigned n = io_uring_peek_batch_cqe(ring, cqes, 64);
            io_uring_cq_advance(ring, n);
            got += n;
        }
    }
    return (now_ns() - start) / total;
}

int main(int argc, char **argv)
{
    long total = argc > 1 ? atol(argv[1]) : 2000000;
    struct io_uring ring;
    if (io_uring_queue_init(64, &ring, 0) < 0) {
        perror("io_uring_queue_init");
        return 1;
    }
    int batches[] = {1, 8, 64};
    for (int b = 0; b < 3; b++) {
        run(&ring, batches[b], total / 10); // warm-up
        printf("liburing nop batch %d: %.1f ns/op\n", batches[b], run(&ring, batches[b], total));
    }
    io_uring_queue_exit(&ring);
    return 0;
}
