// C liburing reference TCP server: the "physical limit" peer for the .NET io_uring servers.
// Usage: liburing_server http|echo PORT [THREADS [WORK]]. Listens on 127.0.0.1:PORT, prints
// "ready", serves until stdin reaches EOF or SIGTERM/SIGINT arrives, then exits 0.
// Each thread has one ring (SINGLE_ISSUER | COOP_TASKRUN) and, with several threads, its own
// SO_REUSEPORT listening socket on the port: multishot accept, multishot recv on one shared
// provided-buffer ring per thread, at most one send in flight per connection. WORK runs the
// .NET peers' SimulatedWork loop that many times per HTTP request (the CPU-bound runs).
// Built only by the benchmark scripts (needs Debian's liburing-dev); never part of the product.
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_COUNT 4096 /* provided buffers shared by all connections (power of two) */
#define BUF_SIZE 4096
#define BGID 0
#define CQ_SIZE 16384 /* > BUF_COUNT recv CQEs + one send CQE per connection: no CQ overflow */
#define SQ_SIZE 4096

enum op { OP_ACCEPT = 1, OP_RECV, OP_SEND, OP_STDIN, OP_SIGNAL };
#define UD(op, fd) (((uint64_t)(op) << 32) | (uint32_t)(fd))

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nServer: Uring\r\n"
                               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n\r\n"
                               "Hello from io_uring!\n";
#define RESPONSE_LEN (sizeof(RESPONSE) - 1)

// Output is double-buffered: 'fly' is owned by the kernel while a send is in flight (so it is never
// reallocated), 'pend' collects what arrives meanwhile and is swapped in when 'fly' is fully sent.
struct conn {
    char *fly, *pend;
    size_t fly_len, fly_off, fly_cap, pend_len, pend_cap;
    uint8_t match;   /* http: bytes of "\r\n\r\n" matched so far, carried across recvs */
    bool recv_armed; /* a multishot recv is live (its final CQE has not been seen yet) */
    bool sending;    /* a send is in flight */
    bool eof;        /* peer closed its side: flush what is queued, then close */
    bool dead;       /* error: drop output, close once no operation is in flight */
};

// Each thread's own ring, buffers and listening socket; a connection's fd belongs to the thread that accepted it.
static __thread struct io_uring ring;
static __thread struct io_uring_buf_ring *br;
static __thread char *bufs;
static __thread int listen_fd;
static struct conn *conns; /* indexed by fd (unique across threads); sized by RLIMIT_NOFILE */
static int max_fds, port, threads = 1;
static long work_iterations;
static bool http_mode;
static volatile bool stop;
static char stdin_buf[256];
static struct signalfd_siginfo siginfo;
static volatile uint64_t work_sink;

// The .NET peers' SimulatedWork: a dependent xorshift chain, the same number of steps per request.
static void simulated_work(void)
{
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (long i = 0; i < work_iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    work_sink = x;
}

static struct io_uring_sqe *get_sqe(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    while (!sqe) { /* SQ full in the middle of a CQE batch: hand what we have to the kernel */
        io_uring_submit(&ring);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

static void arm_accept(void)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_multishot_accept(sqe, listen_fd, NULL, NULL, 0);
    io_uring_sqe_set_data64(sqe, UD(OP_ACCEPT, listen_fd));
}

static void arm_recv(int fd)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = BGID;
    io_uring_sqe_set_data64(sqe, UD(OP_RECV, fd));
    conns[fd].recv_armed = true;
}

static void arm_read(int fd, void *buf, unsigned len, enum op op)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_read(sqe, fd, buf, len, 0);
    io_uring_sqe_set_data64(sqe, UD(op, fd));
}

static void send_fly(int fd, struct conn *c)
{
    struct io_uring_sqe *sqe = get_sqe();
    io_uring_prep_send(sqe, fd, c->fly + c->fly_off, c->fly_len - c->fly_off, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, UD(OP_SEND, fd));
    c->sending = true;
}

// Starts a send of everything pending, unless one is already in flight (then its completion does).
static void flush(int fd, struct conn *c)
{
    if (c->sending || c->pend_len == 0)
        return;
    char *b = c->fly;
    size_t cap = c->fly_cap;
    c->fly = c->pend, c->fly_cap = c->pend_cap, c->fly_len = c->pend_len, c->fly_off = 0;
    c->pend = b, c->pend_cap = cap, c->pend_len = 0;
    send_fly(fd, c);
}

// Returns a pointer to n more bytes at the end of the pending output.
static char *reserve(struct conn *c, size_t n)
{
    if (c->pend_len + n > c->pend_cap) {
        size_t cap = c->pend_cap ? c->pend_cap : 4096;
        while (cap < c->pend_len + n)
            cap *= 2;
        char *p = realloc(c->pend, cap);
        if (!p) {
            perror("realloc");
            exit(1);
        }
        c->pend = p, c->pend_cap = cap;
    }
    char *at = c->pend + c->pend_len;
    c->pend_len += n;
    return at;
}

// Closes the fd once the kernel holds no operation on it, so a reused fd number never receives a
// stale completion. Buffers stay allocated for the next connection that gets this fd.
static void maybe_close(int fd, struct conn *c)
{
    if (c->recv_armed || c->sending || !(c->dead || (c->eof && c->pend_len == 0)))
        return;
    close(fd);
    c->eof = c->dead = false;
}

static void kill_conn(int fd, struct conn *c)
{
    c->dead = true;
    c->pend_len = 0;
    if (c->recv_armed) /* wake the multishot recv: it then ends with res 0 or an error */
        shutdown(fd, SHUT_RDWR);
}

// Counts complete requests: a byte-wise match of "\r\n\r\n" whose state survives across recvs,
// which replaces an accumulation buffer since request contents are ignored.
static void on_http(int fd, struct conn *c, const char *p, size_t n)
{
    unsigned m = c->match, requests = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r')
            m = m == 2 ? 3 : 1;
        else if (p[i] == '\n' && (m == 1 || m == 3)) {
            if (++m == 4) {
                requests++, m = 0;
                simulated_work();
            }
        } else
            m = 0;
    }
    c->match = m;
    if (requests) {
        char *out = reserve(c, requests * RESPONSE_LEN);
        for (unsigned r = 0; r < requests; r++)
            memcpy(out + r * RESPONSE_LEN, RESPONSE, RESPONSE_LEN);
        flush(fd, c);
    }
}

static void on_recv(int fd, int res, unsigned flags)
{
    struct conn *c = &conns[fd];
    if (flags & IORING_CQE_F_BUFFER) {
        unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;
        char *data = bufs + (size_t)bid * BUF_SIZE;
        if (res > 0 && !c->dead) {
            if (http_mode)
                on_http(fd, c, data, res);
            else {
                memcpy(reserve(c, res), data, res);
                flush(fd, c);
            }
        }
        // The data was copied out (echo) or consumed (http): the buffer goes straight back.
        io_uring_buf_ring_add(br, data, BUF_SIZE, bid, io_uring_buf_ring_mask(BUF_COUNT), 0);
        io_uring_buf_ring_advance(br, 1);
    }
    if (flags & IORING_CQE_F_MORE)
        return;
    c->recv_armed = false;
    if (res == 0)
        c->eof = true;
    else if (res < 0 && res != -ENOBUFS)
        kill_conn(fd, c);
    // Multishot ended for a transient reason (ENOBUFS: all buffers were in use, or res > 0).
    if (!c->eof && !c->dead)
        arm_recv(fd);
    maybe_close(fd, c);
}

static void on_send(int fd, int res)
{
    struct conn *c = &conns[fd];
    c->sending = false;
    if (res <= 0) /* EPIPE, ECONNRESET, ...: the peer is gone */
        kill_conn(fd, c);
    else if (!c->dead && (c->fly_off += res) < c->fly_len)
        send_fly(fd, c); /* partial send: continue with the rest */
    else
        flush(fd, c);
    maybe_close(fd, c);
}

static void on_accept(int res, unsigned flags)
{
    if (!(flags & IORING_CQE_F_MORE))
        arm_accept();
    if (res < 0) {
        fprintf(stderr, "accept: %s\n", strerror(-res));
        return;
    }
    if (res >= max_fds) {
        close(res);
        return;
    }
    int one = 1;
    setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct conn *c = &conns[res];
    c->fly_len = c->fly_off = c->pend_len = 0;
    c->match = 0;
    arm_recv(res);
}

static void handle(struct io_uring_cqe *cqe)
{
    int fd = (int)(uint32_t)cqe->user_data;
    switch (cqe->user_data >> 32) {
    case OP_ACCEPT: on_accept(cqe->res, cqe->flags); break;
    case OP_RECV: on_recv(fd, cqe->res, cqe->flags); break;
    case OP_SEND: on_send(fd, cqe->res); break;
    case OP_STDIN: /* data on stdin is ignored; EOF or an error stops the server */
        if (cqe->res > 0 || cqe->res == -EINTR || cqe->res == -EAGAIN)
            arm_read(0, stdin_buf, sizeof(stdin_buf), OP_STDIN);
        else
            stop = true;
        break;
    case OP_SIGNAL: stop = true; break;
    }
}

static void setup_ring(void)
{
    struct io_uring_params p = { 0 };
    p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN;
    p.cq_entries = CQ_SIZE;
    if (io_uring_queue_init_params(SQ_SIZE, &ring, &p) < 0) {
        memset(&p, 0, sizeof(p)); /* older kernel: plain ring */
        p.flags = IORING_SETUP_CQSIZE;
        p.cq_entries = CQ_SIZE;
        int ret = io_uring_queue_init_params(SQ_SIZE, &ring, &p);
        if (ret < 0) {
            fprintf(stderr, "io_uring_queue_init_params: %s\n", strerror(-ret));
            exit(1);
        }
    }
    // The buffer ring must be page aligned: mmap gives that.
    size_t ring_size = BUF_COUNT * sizeof(struct io_uring_buf);
    br = mmap(NULL, ring_size, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    bufs = mmap(NULL, (size_t)BUF_COUNT * BUF_SIZE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (br == MAP_FAILED || bufs == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    struct io_uring_buf_reg reg = { .ring_addr = (uintptr_t)br, .ring_entries = BUF_COUNT, .bgid = BGID };
    int ret = io_uring_register_buf_ring(&ring, &reg, 0);
    if (ret < 0) {
        fprintf(stderr, "io_uring_register_buf_ring: %s\n", strerror(-ret));
        exit(1);
    }
    io_uring_buf_ring_init(br);
    for (int i = 0; i < BUF_COUNT; i++)
        io_uring_buf_ring_add(br, bufs + (size_t)i * BUF_SIZE, BUF_SIZE, i, io_uring_buf_ring_mask(BUF_COUNT), i);
    io_uring_buf_ring_advance(br, BUF_COUNT);
}

static void open_listener(void)
{
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (threads > 1)
        setsockopt(listen_fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(listen_fd, 4096) < 0) {
        perror("listen");
        exit(1);
    }
}

static void serve(void)
{
    while (!stop) {
        int ret = io_uring_submit_and_wait(&ring, 1);
        if (ret < 0 && ret != -EINTR) {
            fprintf(stderr, "io_uring_submit_and_wait: %s\n", strerror(-ret));
            exit(1);
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            handle(cqe);
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
    }
}

// Threads after the first: a ring and a SO_REUSEPORT listener each; they end with the process.
static void *worker(void *ready)
{
    open_listener();
    setup_ring();
    arm_accept();
    io_uring_submit(&ring);
    __atomic_add_fetch((int *)ready, 1, __ATOMIC_RELEASE);
    serve();
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5 || (strcmp(argv[1], "http") && strcmp(argv[1], "echo")) || atoi(argv[2]) <= 0
        || (argc > 3 && atoi(argv[3]) <= 0)) {
        fprintf(stderr, "usage: %s http|echo PORT [THREADS [WORK]]\n", argv[0]);
        return 2;
    }
    http_mode = !strcmp(argv[1], "http");
    port = atoi(argv[2]);
    threads = argc > 3 ? atoi(argv[3]) : 1;
    work_iterations = argc > 4 ? atol(argv[4]) : 0;

    // 1024+ connections need more than the usual soft limit of 1024 descriptors.
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
    max_fds = rl.rlim_cur > (1 << 20) ? (1 << 20) : (int)rl.rlim_cur;
    conns = calloc(max_fds, sizeof(*conns));

    // Signals are read from a signalfd through the ring, so a SIGTERM never races the wait (the
    // mask is set before any thread starts, so every thread blocks them).
    signal(SIGPIPE, SIG_IGN);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (sig_fd < 0) {
        perror("signalfd");
        return 1;
    }

    int ready = 0;
    for (int t = 1; t < threads; t++) {
        pthread_t thread;
        pthread_create(&thread, NULL, worker, &ready);
    }
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < threads - 1)
        usleep(1000);

    open_listener();
    setup_ring();
    arm_accept();
    arm_read(0, stdin_buf, sizeof(stdin_buf), OP_STDIN);
    arm_read(sig_fd, &siginfo, sizeof(siginfo), OP_SIGNAL);
    printf("ready\n");
    fflush(stdout);
    serve();
    // Ring teardown is asynchronous and the pending accept keeps the listener open for a moment
    // after exit; shutdown unlistens it now, so an immediate restart on the same port can bind.
    shutdown(listen_fd, SHUT_RDWR);
    io_uring_queue_exit(&ring);
    return 0;
}
