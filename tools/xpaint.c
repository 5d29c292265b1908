/* xpaint.c: the time from exec to the first complete frame on an X display, the same way
 * for any program (bench/kiosk.sh: the kiosk and Chromium): grabs the root window every
 * few ms (MIT-SHM) from just before the exec until the screen has not changed for a
 * while, then reports when it first showed what it finally shows (at most 0.5% of the
 * sampled pixels different). The program keeps running; its pid is printed.
 * Usage: xpaint [-s settle_ms] [-t timeout_ms] -- command [args...]
 * Prints "pid N", "first_frame_ms X", "changes N"; exit 1 if the program exited or
 * nothing was drawn before the time-out. */
#define _GNU_SOURCE
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEP 4          /* one sampled pixel in STEP x STEP */
#define MAX_SHOTS 512   /* distinct screens kept (consecutive repeats collapse) */

typedef struct shot {
	double at_ms;
	uint32_t *px;
} shot;

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sample(const XImage *img, uint32_t *out, int sw, int sh)
{
	for (int y = 0; y < sh; y++)
		for (int x = 0; x < sw; x++)
			out[y * sw + x] = (uint32_t)XGetPixel((XImage *)img, x * STEP, y * STEP) & 0xFFFFFFu;
}

static long differ(const uint32_t *a, const uint32_t *b, long n)
{
	long d = 0;
	for (long i = 0; i < n; i++)
		d += a[i] != b[i];
	return d;
}

/* An image of the whole root window in shared memory, on a root cleared to black: a
 * known start (what a program drew before, left on a root with no background, would
 * look like a frame already there). */
static XImage *root_image(Display *d, XShmSegmentInfo *si)
{
	int scr = DefaultScreen(d), w = DisplayWidth(d, scr), h = DisplayHeight(d, scr);
	Window root = RootWindow(d, scr);
	XImage *img = XShmCreateImage(d, DefaultVisual(d, scr), (unsigned)DefaultDepth(d, scr), ZPixmap, NULL, si,
				      (unsigned)w, (unsigned)h);
	si->shmid = shmget(IPC_PRIVATE, (size_t)img->bytes_per_line * (size_t)h, IPC_CREAT | 0600);
	si->shmaddr = img->data = shmat(si->shmid, NULL, 0);
	si->readOnly = False;
	XShmAttach(d, si);
	XSetWindowBackground(d, root, BlackPixel(d, scr));
	XClearWindow(d, root);
	XSync(d, False);
	shmctl(si->shmid, IPC_RMID, NULL);  /* gone with the last detach */
	return img;
}

/* The first screen that is the final one, give or take a caret or a fade. */
static int first_final(const shot *shots, int nshots, long n)
{
	const uint32_t *fin = shots[nshots - 1].px;
	for (int k = 1; k < nshots; k++)
		if (differ(shots[k].px, fin, n) * 200 <= n)
			return k;
	return nshots - 1;
}

int main(int argc, char **argv)
{
	int settle = 1500, timeout = 20000, i = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			settle = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			timeout = atoi(argv[++i]);
	}
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: xpaint [-s settle_ms] [-t timeout_ms] -- command [args...]\n");
		return 2;
	}
	char **cmd = argv + i + 1;
	Display *d = XOpenDisplay(NULL);
	if (!d || !XShmQueryExtension(d)) {
		fprintf(stderr, "xpaint: no X display with MIT-SHM\n");
		return 2;
	}
	int scr = DefaultScreen(d), w = DisplayWidth(d, scr), h = DisplayHeight(d, scr);
	Window root = RootWindow(d, scr);
	XShmSegmentInfo si;
	XImage *img = root_image(d, &si);

	int sw = w / STEP, sh = h / STEP;
	long n = (long)sw * sh;
	shot *shots = calloc(MAX_SHOTS, sizeof *shots);
	int nshots = 0;
	uint32_t *cur = malloc(sizeof *cur * (size_t)n);
	XShmGetImage(d, root, img, 0, 0, AllPlanes);
	sample(img, cur, sw, sh);
	shots[nshots++] = (shot){ 0, cur };

	double t0 = mono_ms();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		perror(cmd[0]);
		_exit(127);
	}
	double last_change = t0;
	int exited = 0;
	for (;;) {
		struct timespec ts = { 0, 3 * 1000000 };
		nanosleep(&ts, NULL);
		double now = mono_ms();
		if (!exited && waitpid(pid, NULL, WNOHANG) == pid)
			exited = 1;
		XShmGetImage(d, root, img, 0, 0, AllPlanes);
		uint32_t *px = malloc(sizeof *px * (size_t)n);
		sample(img, px, sw, sh);
		if (memcmp(px, shots[nshots - 1].px, sizeof *px * (size_t)n) != 0 && nshots < MAX_SHOTS) {
			shots[nshots++] = (shot){ now - t0, px };
			last_change = now;
		} else {
			free(px);
		}
		if (exited || (nshots > 1 && now - last_change >= settle) || now - t0 >= timeout)
			break;
	}
	printf("pid %d\n", (int)pid);
	if (exited || nshots < 2) {
		printf("first_frame_ms none\n");
		return 1;
	}
	int first = first_final(shots, nshots, n);
	printf("first_frame_ms %.1f\nchanges %d\n", shots[first].at_ms, nshots - 1);
	fflush(stdout);
	XShmDetach(d, &si);
	shmdt(si.shmaddr);
	XCloseDisplay(d);
	return 0;
}
