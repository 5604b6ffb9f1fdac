/* Records what a device sends (notifications and indications) so tests and the vector generator can inspect it. */
#ifndef CAPTURE_H
#define CAPTURE_H
#include "sensing_protocol.h"

#include <string.h>

#define CAPTURE_MAX 4096
typedef struct {
    uint8_t bytes[CAPTURE_MAX][SP_MAX_FRAME_BYTES];
    size_t length[CAPTURE_MAX];
    int count;
} capture_list;

typedef struct {
    capture_list notified;
    capture_list indicated;
    int drop_notifications; /* the next N notifications are lost on the air */
    uint16_t mtu;           /* notifications longer than mtu - 3 are a bug */
    int oversize;
} capture;

static inline void capture_add(capture_list *list, const uint8_t *v, size_t n)
{
    if (list->count < CAPTURE_MAX) {
        memcpy(list->bytes[list->count], v, n);
        list->length[list->count++] = n;
    }
}

static inline int capture_notify(void *ctx, const uint8_t *v, size_t n)
{
    capture *c = (capture *)ctx;
    if (c->mtu && n > (size_t)(c->mtu - 3u)) c->oversize++;
    if (c->drop_notifications > 0) {
        c->drop_notifications--;
        return 0;
    }
    capture_add(&c->notified, v, n);
    return 1;
}

static inline void capture_indicate(void *ctx, const uint8_t *v, size_t n) { capture_add(&((capture *)ctx)->indicated, v, n); }

static inline void capture_clear(capture *c)
{
    c->notified.count = 0;
    c->indicated.count = 0;
}

static inline sp_io capture_io(capture *c)
{
    sp_io io;
    io.context = c;
    io.notify = capture_notify;
    io.indicate = capture_indicate;
    return io;
}

/* The deterministic test signal shared by tests and vectors: a slow wave on x, a ramp on y, gravity on z. */
static inline void scripted_sample(uint32_t i, int16_t *x, int16_t *y, int16_t *z)
{
    *x = (int16_t)((int)(i * 37u % 400u) - 200);
    *y = (int16_t)((int)(i % 64u) * 3 - 96);
    *z = (int16_t)(4096 + (int)(i % 7u) - 3);
}

/* Feeds samples [from, from + n) of the scripted signal at 100 Hz (10 ms ticks from tick0). */
static inline void feed(sp_device *dev, uint32_t from, uint32_t n, uint32_t tick0)
{
    for (uint32_t i = from; i < from + n; i++) {
        int16_t x, y, z;
        scripted_sample(i, &x, &y, &z);
        sp_device_add_sample(dev, x, y, z, tick0 + (i - from) * 10u);
    }
}
#endif
