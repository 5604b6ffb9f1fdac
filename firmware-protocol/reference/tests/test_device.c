/* Device behaviour for every edge in README §8: unknown opcode, lengths, time, MTU packing and change, lost
 * notifications, storage full, range not stored, busy/abort, disconnect mid-backfill, reset with unacked data. */
#include "capture.h"
#include "check.h"

static sp_device dev;
static capture cap;
static sp_frame frame;

static void request(const uint8_t *req, size_t n, uint32_t tick)
{
    capture_clear(&cap);
    sp_device_control(&dev, req, n, tick);
}

static uint32_t u32_at(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/* Decodes every captured notification; checks samples against the script, indices contiguous from `first`.
 * Returns the index one past the last sample, or 0 on a problem. */
static uint32_t verify_stream(uint8_t boot, uint32_t first, uint8_t type)
{
    uint32_t next = first;
    for (int i = 0; i < cap.notified.count; i++) {
        size_t consumed;
        if (sp_decode_frame(cap.notified.bytes[i], cap.notified.length[i], &frame, &consumed) != SP_OK) return 0;
        CHECK_EQ(frame.header.boot_id, boot);
        CHECK_EQ(frame.header.type, type);
        CHECK_EQ(frame.header.seq, next);
        for (unsigned k = 0; k < frame.header.count; k++) {
            int16_t x, y, z;
            scripted_sample(frame.header.seq + k, &x, &y, &z);
            CHECK(frame.samples[k][0] == x && frame.samples[k][1] == y && frame.samples[k][2] == z);
        }
        next = frame.header.seq + frame.header.count;
    }
    return next;
}

static void connect(uint16_t mtu)
{
    cap.mtu = mtu;
    sp_device_set_mtu(&dev, mtu);
}

static void pump_all(void)
{
    while (sp_device_pump_backfill(&dev)) {
    }
}

static void backfill(uint8_t boot, uint32_t first, uint32_t last)
{
    uint8_t req[10] = {SP_OP_BACKFILL, boot};
    req[2] = (uint8_t)first; req[3] = (uint8_t)(first >> 8); req[4] = (uint8_t)(first >> 16); req[5] = (uint8_t)(first >> 24);
    req[6] = (uint8_t)last; req[7] = (uint8_t)(last >> 8); req[8] = (uint8_t)(last >> 16); req[9] = (uint8_t)(last >> 24);
    request(req, sizeof req, 0);
}

static void ack(uint8_t boot, uint32_t end)
{
    uint8_t req[6] = {SP_OP_ACK, boot, (uint8_t)end, (uint8_t)(end >> 8), (uint8_t)(end >> 16), (uint8_t)(end >> 24)};
    request(req, sizeof req, 0);
}

static void setup(uint32_t ring, uint16_t mtu)
{
    sp_device_init(&dev, capture_io(&cap), 5, ring);
    capture_clear(&cap);
    cap.drop_notifications = 0;
    cap.oversize = 0;
    connect(mtu);
}

static void control_point_errors(void)
{
    setup(64, 185);
    uint8_t unknown[] = {0x7F, 1, 2};
    request(unknown, sizeof unknown, 0);
    CHECK_EQ(cap.indicated.count, 1);
    CHECK_EQ(cap.indicated.length[0], 3);
    CHECK(cap.indicated.bytes[0][0] == 0x80 && cap.indicated.bytes[0][1] == 0x7F && cap.indicated.bytes[0][2] == 0x01);
    request(unknown, 0, 0);
    CHECK(cap.indicated.bytes[0][1] == 0x00 && cap.indicated.bytes[0][2] == 0x02);
    uint8_t short_time[] = {SP_OP_SET_TIME, 1, 2};
    request(short_time, sizeof short_time, 0);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_INVALID_LENGTH);
    CHECK_EQ(dev.clock_set, 0);
    uint8_t bad_sensor[] = {SP_OP_SET_SENSOR, 6, 0};
    request(bad_sensor, sizeof bad_sensor, 0);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_INVALID_PARAMETER);
    CHECK_EQ(dev.rate_code, 3);
    uint8_t inverted[10] = {SP_OP_BACKFILL, 5, 10, 0, 0, 0, 1, 0, 0, 0};
    request(inverted, sizeof inverted, 0);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_INVALID_PARAMETER);
}

static void time_and_clock(void)
{
    setup(64, 185);
    uint8_t read[] = {SP_OP_READ_CLOCK};
    request(read, 1, 1000);
    CHECK_EQ(cap.indicated.length[0], 16);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 8), 0); /* never set: wall 0, not 1970 or 2019 */
    uint8_t set[9] = {SP_OP_SET_TIME, 0x00, 0x10, 0xA5, 0xD4, 0xE8, 0x00, 0x00, 0x00}; /* 1e12 us */
    request(set, sizeof set, 2000);
    CHECK_EQ(cap.indicated.length[0], 8);
    CHECK_EQ(cap.indicated.bytes[0][3], 5);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 4), 2000);
    request(read, 1, 2500);
    uint64_t wall = u32_at(cap.indicated.bytes[0] + 8) | (uint64_t)u32_at(cap.indicated.bytes[0] + 12) << 32;
    CHECK(wall == 1000000000000ull + 500000ull);
    sp_device_reset(&dev);
    connect(185);
    request(read, 1, 10);
    CHECK_EQ(cap.indicated.bytes[0][3], 6);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 8), 0);
}

static void live_packing_by_mtu(void)
{
    const uint16_t mtus[] = {23, 64, 185, 247};
    int frames[4];
    for (int m = 0; m < 4; m++) {
        setup(256, mtus[m]);
        uint8_t start[] = {SP_OP_START_LIVE};
        request(start, 1, 0);
        feed(&dev, 0, 1000, 0);
        sp_device_flush(&dev);
        CHECK_EQ(cap.oversize, 0);
        CHECK_EQ(verify_stream(5, 0, SP_FRAME_LIVE), 1000);
        frames[m] = cap.notified.count;
    }
    CHECK_EQ(frames[0], 1000); /* MTU 23: one sample per notification */
    CHECK(frames[1] < frames[0] && frames[2] < frames[1] && frames[3] <= frames[2]);
}

static void mtu_change_mid_stream(void)
{
    setup(256, 247);
    uint8_t start[] = {SP_OP_START_LIVE};
    request(start, 1, 0);
    feed(&dev, 0, 150, 0);
    connect(23); /* shrinks under an open frame */
    feed(&dev, 150, 100, 1500);
    connect(100);
    feed(&dev, 250, 300, 2500);
    sp_device_flush(&dev);
    CHECK_EQ(cap.oversize, 0);
    CHECK_EQ(verify_stream(5, 0, SP_FRAME_LIVE), 550);
}

static void lost_notifications_are_backfilled(void)
{
    setup(256, 185);
    uint8_t start[] = {SP_OP_START_LIVE};
    request(start, 1, 0);
    feed(&dev, 0, 200, 0);
    cap.drop_notifications = 2;
    feed(&dev, 200, 400, 2000);
    sp_device_flush(&dev);
    /* The gateway sees an index jump in what arrived and asks for exactly the missing range. */
    size_t consumed;
    uint32_t expected = 0, gap_first = 0, gap_end = 0;
    for (int i = 0; i < cap.notified.count; i++) {
        CHECK_EQ(sp_decode_frame(cap.notified.bytes[i], cap.notified.length[i], &frame, &consumed), SP_OK);
        if (frame.header.seq != expected && gap_end == 0) {
            gap_first = expected;
            gap_end = frame.header.seq;
        }
        expected = frame.header.seq + frame.header.count;
    }
    CHECK(gap_end > gap_first);
    backfill(5, gap_first, gap_end - 1);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_SUCCESS);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 4), gap_first);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 8), gap_end - gap_first);
    pump_all();
    CHECK_EQ(verify_stream(5, gap_first, SP_FRAME_HISTORICAL), gap_end);
    int last = cap.indicated.count - 1;
    CHECK(cap.indicated.bytes[last][0] == SP_CP_EVENT && cap.indicated.bytes[last][1] == SP_EVENT_BACKFILL_DONE);
    CHECK_EQ(cap.indicated.bytes[last][2], 0);
    CHECK_EQ(u32_at(cap.indicated.bytes[last] + 4), gap_end);
}

static void storage_full_drops_oldest_and_reports(void)
{
    setup(4, 64);
    feed(&dev, 0, 400, 0);
    sp_device_flush(&dev);
    /* Each dropped frame was reported with its exact range, oldest first, and the ranges are contiguous. */
    uint32_t next = 0, reported = 0;
    for (int i = 0; i < cap.indicated.count; i++) {
        const uint8_t *ev = cap.indicated.bytes[i];
        CHECK(ev[0] == SP_CP_EVENT && ev[1] == SP_EVENT_DATA_DROPPED && ev[2] == 5);
        CHECK_EQ(u32_at(ev + 3), next);
        next = u32_at(ev + 3) + u32_at(ev + 7);
        reported += u32_at(ev + 7);
    }
    CHECK(reported > 0);
    uint8_t status[SP_STATUS_BYTES];
    sp_device_status(&dev, 4000, status);
    CHECK(status[4] & 8u);
    CHECK_EQ(status[11], 100);
    CHECK_EQ(status[12], 5);
    CHECK_EQ(u32_at(status + 13), next); /* oldest stored = first not dropped */
    CHECK_EQ(status[17] | status[18] << 8 | status[19] << 16, reported);
    /* Range no longer stored: the device says so and names the oldest stored position. */
    backfill(5, 0, next - 1);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_RANGE_NOT_STORED);
    CHECK_EQ(cap.indicated.length[0], 8);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 4), next);
    /* "Since 0": replay starts later than asked; the response shows the gap. */
    backfill(5, 0, SP_BACKFILL_SINCE);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_SUCCESS);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 4), next);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 8), 400 - next);
    pump_all();
    CHECK_EQ(verify_stream(5, next, SP_FRAME_HISTORICAL), 400);
    ack(5, 400);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 3), 400 - next);
    sp_device_status(&dev, 4000, status);
    CHECK_EQ(status[4] & 8u, 0);
    CHECK(status[4] & 16u);
}

static void busy_and_abort(void)
{
    setup(64, 64);
    feed(&dev, 0, 300, 0);
    sp_device_flush(&dev);
    backfill(5, 0, SP_BACKFILL_SINCE);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_SUCCESS);
    backfill(5, 0, 10);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_BUSY);
    uint8_t abort_req[] = {SP_OP_ABORT_BACKFILL};
    request(abort_req, 1, 0);
    CHECK_EQ(cap.indicated.count, 2);
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_SUCCESS);
    CHECK(cap.indicated.bytes[1][1] == SP_EVENT_BACKFILL_DONE && cap.indicated.bytes[1][2] == 1);
    CHECK_EQ(sp_device_pump_backfill(&dev), 0);
}

static void disconnect_mid_backfill_then_resume(void)
{
    setup(64, 64);
    feed(&dev, 0, 500, 0);
    sp_device_flush(&dev);
    uint32_t stored = sp_ring_count(&dev.ring);
    backfill(5, 0, SP_BACKFILL_SINCE);
    sp_device_pump_backfill(&dev);
    sp_device_pump_backfill(&dev);
    uint32_t got = verify_stream(5, 0, SP_FRAME_HISTORICAL);
    CHECK(got > 0 && got < 500);
    int events_before = cap.indicated.count;
    connect(0); /* link lost */
    CHECK_EQ(sp_device_pump_backfill(&dev), 0);
    CHECK_EQ(cap.indicated.count, events_before); /* no BACKFILL_DONE on a dead link */
    CHECK_EQ(sp_ring_count(&dev.ring), stored);    /* nothing freed without an ACK */
    connect(23);
    backfill(5, got, SP_BACKFILL_SINCE);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 4), got);
    pump_all();
    CHECK_EQ(cap.oversize, 0); /* stored 244-byte frames were re-split for MTU 23 */
    CHECK_EQ(verify_stream(5, got, SP_FRAME_HISTORICAL), 500);
}

static void reset_with_unacknowledged_data(void)
{
    setup(64, 185);
    feed(&dev, 0, 300, 0);
    sp_device_flush(&dev);
    feed(&dev, 300, 20, 3000); /* still open in RAM when the reset hits: lost */
    sp_device_reset(&dev);
    CHECK_EQ(dev.boot_id, 6);
    feed(&dev, 0, 200, 0);
    sp_device_flush(&dev);
    connect(185);
    backfill(5, 0, SP_BACKFILL_SINCE);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 8), 500);
    pump_all();
    /* Old boot first (0..300), then the new boot from index 0. */
    int i = 0;
    uint32_t next = 0;
    size_t consumed;
    for (; i < cap.notified.count; i++) {
        CHECK_EQ(sp_decode_frame(cap.notified.bytes[i], cap.notified.length[i], &frame, &consumed), SP_OK);
        if (frame.header.boot_id == 6) break;
        CHECK_EQ(frame.header.seq, next);
        next += frame.header.count;
    }
    CHECK_EQ(next, 300);
    next = 0;
    for (; i < cap.notified.count; i++) {
        CHECK_EQ(sp_decode_frame(cap.notified.bytes[i], cap.notified.length[i], &frame, &consumed), SP_OK);
        CHECK_EQ(frame.header.boot_id, 6);
        CHECK_EQ(frame.header.seq, next);
        next += frame.header.count;
    }
    CHECK_EQ(next, 200);
    /* ACK of the new boot confirms the whole old boot too; a frame straddling `end` stays. */
    const sp_slot *first_new = NULL;
    for (uint32_t s = dev.ring.oldest; s != dev.ring.next; s++) {
        if (sp_ring_at(&dev.ring, s)->boot_id == 6) { first_new = sp_ring_at(&dev.ring, s); break; }
    }
    CHECK(first_new != NULL);
    uint32_t straddle_end = first_new->seq + first_new->count - 1u;
    ack(6, straddle_end);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 3), 300);
    CHECK_EQ(sp_ring_at(&dev.ring, dev.ring.oldest)->boot_id, 6);
    ack(5, 300); /* boot 5 is gone now: not stored, nothing freed */
    CHECK_EQ(cap.indicated.bytes[0][2], SP_RESULT_RANGE_NOT_STORED);
    ack(6, 200);
    CHECK_EQ(u32_at(cap.indicated.bytes[0] + 3), 200);
    CHECK_EQ(sp_ring_count(&dev.ring), 0);
    /* A new boot drops frames 256 boots old that carry the same id. */
    setup(64, 0);
    feed(&dev, 0, 100, 0);
    sp_device_flush(&dev);
    uint32_t old_frames = sp_ring_count(&dev.ring);
    CHECK(old_frames > 0);
    for (int r = 0; r < 255; r++) sp_device_reset(&dev);
    CHECK_EQ(dev.boot_id, 4);
    CHECK_EQ(sp_ring_count(&dev.ring), old_frames);
    sp_device_reset(&dev);
    CHECK_EQ(dev.boot_id, 5);
    CHECK_EQ(sp_ring_count(&dev.ring), 0);
    CHECK_EQ(dev.dropped_samples, 100);
}

int main(void)
{
    control_point_errors();
    time_and_clock();
    live_packing_by_mtu();
    mtu_change_mid_stream();
    lost_notifications_are_backfilled();
    storage_full_drops_oldest_and_reports();
    busy_and_abort();
    disconnect_mid_backfill_then_resume();
    reset_with_unacknowledged_data();
    return check_report("device");
}
