/* Flash ring buffer: order, overflow drops the oldest and reports it, serials survive wrap-around of slots. */
#include "check.h"
#include "sensing_protocol.h"

#include <string.h>

static sp_ring ring;

static void frame_bytes(uint8_t *b, uint8_t boot, uint32_t seq, uint8_t count)
{
    memset(b, 0, 20);
    b[2] = boot;
    b[3] = (uint8_t)seq;
    b[4] = (uint8_t)(seq >> 8);
    b[5] = (uint8_t)(seq >> 16);
    b[6] = (uint8_t)(seq >> 24);
    b[11] = count;
}

int main(void)
{
    uint8_t b[20];
    sp_slot dropped;
    sp_ring_init(&ring, 4);
    CHECK_EQ(sp_ring_count(&ring), 0);
    CHECK(sp_ring_at(&ring, 0) == NULL);
    for (uint32_t i = 0; i < 4; i++) {
        frame_bytes(b, 1, i * 10, 10);
        sp_ring_push(&ring, b, 20, &dropped);
        CHECK_EQ(dropped.count, 0);
    }
    CHECK_EQ(sp_ring_count(&ring), 4);
    frame_bytes(b, 1, 40, 10);
    sp_ring_push(&ring, b, 20, &dropped);
    CHECK_EQ(dropped.count, 10);
    CHECK_EQ(dropped.seq, 0);
    CHECK_EQ(sp_ring_count(&ring), 4);
    CHECK(sp_ring_at(&ring, 0) == NULL);
    CHECK_EQ(sp_ring_at(&ring, 1)->seq, 10);
    CHECK_EQ(sp_ring_at(&ring, 4)->seq, 40);
    CHECK(sp_ring_at(&ring, 5) == NULL);
    sp_ring_pop(&ring);
    sp_ring_pop(&ring);
    CHECK_EQ(sp_ring_count(&ring), 2);
    CHECK_EQ(sp_ring_at(&ring, ring.oldest)->seq, 30);
    for (uint32_t i = 0; i < 100; i++) {
        frame_bytes(b, 2, i, 1);
        sp_ring_push(&ring, b, 20, &dropped);
    }
    CHECK_EQ(sp_ring_count(&ring), 4);
    CHECK_EQ(sp_ring_at(&ring, ring.oldest)->seq, 96);
    CHECK_EQ(sp_ring_at(&ring, ring.next - 1)->boot_id, 2);
    return check_report("ring");
}
