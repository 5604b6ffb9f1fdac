/* Device side: sampling into MTU-sized frames, storage first, control point (README §5), backfill and ACK. */
#include "sensing_protocol.h"

#include <string.h>

static const uint32_t period_us[6] = {80000u, 40000u, 20000u, 10000u, 5000u, 2500u};

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static size_t frame_limit(const sp_device *dev)
{
    /* Disconnected: frames are stored at the largest size; replay re-splits them for a smaller MTU. */
    if (dev->mtu == 0 || dev->mtu - 3u > SP_MAX_FRAME_BYTES) return SP_MAX_FRAME_BYTES;
    return dev->mtu - 3u;
}

void sp_device_init(sp_device *dev, sp_io io, uint8_t boot_id, uint32_t ring_capacity)
{
    memset(dev, 0, sizeof(*dev));
    dev->io = io;
    dev->firmware_major = 1;
    dev->firmware_minor = 0;
    dev->battery = 100;
    dev->boot_id = boot_id;
    dev->rate_code = 3;  /* 100 Hz */
    dev->range_code = 2; /* ±8 g */
    sp_ring_init(&dev->ring, ring_capacity);
}

static void send_event(sp_device *dev, const uint8_t *value, size_t length)
{
    if (dev->mtu != 0 && dev->io.indicate) dev->io.indicate(dev->io.context, value, length);
}

static void store(sp_device *dev, const uint8_t *frame, size_t length)
{
    sp_slot dropped;
    sp_ring_push(&dev->ring, frame, length, &dropped);
    if (dropped.count == 0) return;
    /* Storage full: newest data wins, and the loss is reported, never hidden (README §7). */
    dev->overflowed = 1;
    dev->dropped_samples += dropped.count;
    uint8_t ev[11] = {SP_CP_EVENT, SP_EVENT_DATA_DROPPED, dropped.boot_id};
    put_u32(ev + 3, dropped.seq);
    put_u32(ev + 7, dropped.count);
    send_event(dev, ev, sizeof ev);
}

static size_t encode(const sp_device *dev, uint8_t type, uint32_t offset, unsigned n, uint8_t *bytes, size_t limit)
{
    sp_frame_header h = {0};
    h.type = type;
    h.rate_code = dev->rate_code;
    h.range_code = dev->range_code;
    h.boot_id = dev->boot_id;
    h.seq = dev->open_seq + offset;
    /* Tick of a frame that starts inside the open run: nominal period, rounded to the millisecond. */
    h.tick = dev->open_tick + (uint32_t)(((uint64_t)offset * period_us[dev->rate_code] + 500u) / 1000u);
    return sp_encode_frame(&h, (const int16_t(*)[3])dev->open[offset], n, bytes, limit);
}

/* Sends open samples [live_from, live_from + n) as one live frame packed for the current MTU. */
static void send_live(sp_device *dev, unsigned n)
{
    uint8_t bytes[SP_MAX_FRAME_BYTES];
    size_t length = encode(dev, SP_FRAME_LIVE, dev->live_from, n, bytes, frame_limit(dev));
    if (length && dev->io.notify) dev->io.notify(dev->io.context, bytes, length);
    dev->live_from += n;
    dev->live_width = 0;
}

void sp_device_flush_live(sp_device *dev)
{
    if (!dev->live || dev->mtu == 0) {
        dev->live_from = dev->open_count;
        return;
    }
    while (dev->live_from < dev->open_count) {
        send_live(dev, sp_samples_that_fit((const int16_t(*)[3])dev->open[dev->live_from],
                                           dev->open_count - dev->live_from, frame_limit(dev)));
    }
}

void sp_device_flush(sp_device *dev)
{
    if (dev->open_count == 0) return;
    sp_device_flush_live(dev);
    /* Stored frames are always packed to the largest size, whatever the MTU: flash is the record, and replay
     * re-splits for the MTU of the day. add_sample keeps the open run within one such frame. */
    uint8_t bytes[SP_MAX_FRAME_BYTES];
    size_t length = encode(dev, SP_FRAME_LIVE, 0, dev->open_count, bytes, SP_MAX_FRAME_BYTES);
    dev->open_count = 0;
    dev->open_width = 0;
    dev->live_from = 0;
    dev->live_width = 0;
    if (length) store(dev, bytes, length);
}

static unsigned widen(unsigned w, const int16_t *previous, const int16_t *s)
{
    for (int a = 0; a < 3; a++) {
        unsigned aw = sp_delta_width((int16_t)(uint16_t)((uint16_t)s[a] - (uint16_t)previous[a]));
        if (aw > w) w = aw;
    }
    return w;
}

void sp_device_add_sample(sp_device *dev, int16_t x, int16_t y, int16_t z, uint32_t tick)
{
    int16_t s[3] = {x, y, z};
    if (dev->open_count > 0) {
        /* Close the stored frame when one more sample would not fit 244 bytes (or 255 samples). */
        unsigned w = widen(dev->open_width, dev->open[dev->open_count - 1], s);
        if (dev->open_count == SP_MAX_SAMPLES || sp_frame_length(dev->open_count + 1, w) > SP_MAX_FRAME_BYTES) {
            sp_device_flush(dev);
        } else {
            dev->open_width = w;
        }
    }
    if (dev->open_count == 0) {
        if (dev->next_index == 0xFFFFFFFFu) sp_device_reset(dev); /* indices never wrap within a boot */
        dev->open_seq = dev->next_index;
        dev->open_tick = tick;
    }
    /* Live: send the pending samples as soon as one more would not fit the MTU (README §3.5). */
    if (dev->live && dev->mtu != 0 && dev->live_from < dev->open_count) {
        unsigned pending = dev->open_count - dev->live_from;
        unsigned lw = widen(dev->live_width, dev->open[dev->open_count - 1], s);
        if (sp_frame_length(pending + 1, lw) > frame_limit(dev)) {
            send_live(dev, pending);
        } else {
            dev->live_width = lw;
        }
    } else if (!dev->live || dev->mtu == 0) {
        dev->live_from = dev->open_count + 1;
    }
    dev->open[dev->open_count][0] = x;
    dev->open[dev->open_count][1] = y;
    dev->open[dev->open_count][2] = z;
    dev->open_count++;
    dev->next_index++;
}

void sp_device_set_mtu(sp_device *dev, uint16_t mtu)
{
    if (mtu == 0) {
        /* A dropped link ends a backfill silently (no BACKFILL_DONE) and frees nothing. */
        dev->bf_running = 0;
        dev->live = 0;
    } else if (mtu < 23) {
        mtu = 23;
    }
    dev->mtu = mtu;
    /* A smaller MTU under pending live samples: send them now, packed for the new size. */
    if (dev->live && mtu != 0 && dev->live_from < dev->open_count &&
        sp_frame_length(dev->open_count - dev->live_from, dev->live_width) > frame_limit(dev)) {
        sp_device_flush_live(dev);
    }
}

void sp_device_reset(sp_device *dev)
{
    /* RAM is lost: the open frame is gone; flash (the ring) survives. */
    dev->open_count = 0;
    dev->open_width = 0;
    dev->live_from = 0;
    dev->live_width = 0;
    dev->boot_id = (uint8_t)(dev->boot_id + 1u);
    dev->next_index = 0;
    dev->clock_set = 0;
    dev->wall_anchor_us = 0;
    dev->live = 0;
    dev->bf_running = 0;
    dev->mtu = 0;
    dev->dropped_samples = 0;
    /* Frames 256 boots old carry the new boot id: drop them so (boot_id, index) stays unique (README §6.3). */
    while (sp_ring_count(&dev->ring) > 0) {
        const sp_slot *s = sp_ring_at(&dev->ring, dev->ring.oldest);
        if (s->boot_id != dev->boot_id) break;
        dev->dropped_samples += s->count;
        dev->overflowed = 1;
        sp_ring_pop(&dev->ring);
    }
}

/* Serial range [*first, *end) of the stored frames of one boot; 0 when the boot is not stored. */
static int find_boot(const sp_ring *ring, uint8_t boot, uint32_t *first, uint32_t *end)
{
    int found = 0;
    for (uint32_t s = ring->oldest; s != ring->next; s++) {
        const sp_slot *slot = sp_ring_at(ring, s);
        if (slot->boot_id == boot) {
            if (!found) *first = s;
            *end = s + 1;
            found = 1;
        } else if (found) {
            break;
        }
    }
    return found;
}

static size_t oldest_position(const sp_ring *ring, uint8_t *out)
{
    const sp_slot *slot = sp_ring_at(ring, ring->oldest);
    out[0] = slot ? slot->boot_id : 0xFFu;
    put_u32(out + 1, slot ? slot->seq : 0xFFFFFFFFu);
    return 5;
}

static uint32_t overlap(uint32_t seq, uint32_t count, uint32_t first, uint32_t last, uint32_t *begin)
{
    uint32_t end = seq + count - 1u; /* inclusive, cannot overflow (SEQUENCE_OVERFLOW rule) */
    uint32_t b = seq > first ? seq : first;
    uint32_t e = end < last ? end : last;
    *begin = b;
    return b > e ? 0 : e - b + 1u;
}

static sp_cp_result start_backfill(sp_device *dev, const uint8_t *p, uint8_t *resp, size_t *resp_len)
{
    uint8_t boot = p[0];
    uint32_t first = get_u32(p + 1), last = get_u32(p + 5);
    int since = last == SP_BACKFILL_SINCE;
    if (!since && first > last) return SP_RESULT_INVALID_PARAMETER;
    if (dev->bf_running) return SP_RESULT_BUSY;

    uint32_t boot_first = 0, boot_end = 0, samples = 0, start_serial = dev->ring.next, start_index = first;
    uint8_t start_boot = boot;
    int stored = find_boot(&dev->ring, boot, &boot_first, &boot_end);
    if (!stored && !since) {
        *resp_len += oldest_position(&dev->ring, resp + 3);
        return SP_RESULT_RANGE_NOT_STORED;
    }
    if (!stored) boot_first = boot_end = dev->ring.oldest; /* the whole boot is gone: replay from the oldest */
    for (uint32_t s = boot_first; s != boot_end; s++) {
        const sp_slot *slot = sp_ring_at(&dev->ring, s);
        uint32_t begin;
        uint32_t n = overlap(slot->seq, slot->count, first, since ? 0xFFFFFFFFu : last, &begin);
        if (n && samples == 0) {
            start_serial = s;
            start_index = begin;
        }
        samples += n;
    }
    if (since) {
        for (uint32_t s = boot_end; s != dev->ring.next; s++) {
            const sp_slot *slot = sp_ring_at(&dev->ring, s);
            if (samples == 0) {
                start_serial = s;
                start_index = slot->seq;
                start_boot = slot->boot_id;
            }
            samples += slot->count;
        }
    }
    if (samples == 0 && !since) {
        *resp_len += oldest_position(&dev->ring, resp + 3);
        return SP_RESULT_RANGE_NOT_STORED;
    }
    dev->bf_running = 1;
    dev->bf_since = (uint8_t)since;
    dev->bf_boot = boot;
    dev->bf_serial = start_serial;
    dev->bf_cur_boot = start_boot;
    dev->bf_next = start_index;
    dev->bf_last = last;
    dev->bf_sent = 0;
    dev->bf_stop_serial = since ? dev->ring.next : boot_end;
    dev->bf_end_boot = start_boot;
    dev->bf_end_index = start_index;
    resp[3] = start_boot;
    put_u32(resp + 4, start_index);
    put_u32(resp + 8, samples);
    *resp_len += 9;
    return SP_RESULT_SUCCESS;
}

static void finish_backfill(sp_device *dev, uint8_t status)
{
    dev->bf_running = 0;
    uint8_t ev[12] = {SP_CP_EVENT, SP_EVENT_BACKFILL_DONE, status, dev->bf_end_boot};
    put_u32(ev + 4, dev->bf_end_index);
    put_u32(ev + 8, dev->bf_sent);
    send_event(dev, ev, sizeof ev);
}

int sp_device_pump_backfill(sp_device *dev)
{
    if (!dev->bf_running || dev->mtu == 0) return 0;
    for (;;) {
        /* Slots freed under the cursor (overflow) are gone; DATA_DROPPED already reported them. */
        if ((int32_t)(dev->bf_serial - dev->ring.oldest) < 0) dev->bf_serial = dev->ring.oldest;
        if ((int32_t)(dev->bf_serial - dev->bf_stop_serial) >= 0) break;
        const sp_slot *slot = sp_ring_at(&dev->ring, dev->bf_serial);
        if (slot == NULL) break;
        if (!dev->bf_since && slot->boot_id != dev->bf_boot) break;
        uint32_t begin = slot->boot_id == dev->bf_cur_boot && dev->bf_next > slot->seq ? dev->bf_next : slot->seq;
        uint32_t slot_last = slot->seq + slot->count - 1u;
        uint32_t last = (!dev->bf_since && dev->bf_last < slot_last) ? dev->bf_last : slot_last;
        if (begin > last || (uint32_t)(begin - slot->seq) >= slot->count) {
            dev->bf_serial++;
            continue;
        }
        size_t consumed;
        if (sp_decode_frame(slot->bytes, slot->length, &dev->scratch, &consumed) != SP_OK) {
            dev->bf_serial++; /* flash corruption: skip the slot; the gateway sees the gap and re-requests */
            continue;
        }
        uint32_t offset = begin - slot->seq;
        unsigned n = sp_samples_that_fit((const int16_t(*)[3]) & dev->scratch.samples[offset], last - begin + 1u,
                                         frame_limit(dev));
        sp_frame_header h = dev->scratch.header;
        h.type = SP_FRAME_HISTORICAL;
        h.seq = begin;
        /* Tick of the re-split frame's first sample: nominal period, rounded to the millisecond. */
        h.tick = dev->scratch.header.tick + (uint32_t)(((uint64_t)offset * period_us[h.rate_code] + 500u) / 1000u);
        uint8_t bytes[SP_MAX_FRAME_BYTES];
        size_t length = sp_encode_frame(&h, (const int16_t(*)[3]) & dev->scratch.samples[offset], n, bytes,
                                        frame_limit(dev));
        if (dev->io.notify) dev->io.notify(dev->io.context, bytes, length);
        dev->bf_cur_boot = slot->boot_id;
        dev->bf_next = begin + n;
        dev->bf_sent += n;
        dev->bf_end_boot = slot->boot_id;
        dev->bf_end_index = begin + n;
        if (begin + n > last) dev->bf_serial++;
        return 1;
    }
    finish_backfill(dev, 0);
    return 1;
}

static sp_cp_result ack(sp_device *dev, const uint8_t *p, uint8_t *resp, size_t *resp_len)
{
    uint8_t boot = p[0];
    uint32_t end = get_u32(p + 1);
    uint32_t boot_first, boot_end;
    if (!find_boot(&dev->ring, boot, &boot_first, &boot_end)) {
        *resp_len += oldest_position(&dev->ring, resp + 3);
        return SP_RESULT_RANGE_NOT_STORED;
    }
    uint32_t freed = 0;
    while (sp_ring_count(&dev->ring) > 0 && dev->ring.oldest != boot_end) {
        const sp_slot *slot = sp_ring_at(&dev->ring, dev->ring.oldest);
        /* Earlier boots are wholly confirmed; within the boot only frames that end at or before `end`. */
        if (slot->boot_id == boot && (uint64_t)slot->seq + slot->count > end) break;
        freed += slot->count;
        sp_ring_pop(&dev->ring);
    }
    dev->overflowed = 0;
    put_u32(resp + 3, freed);
    *resp_len += 4;
    return SP_RESULT_SUCCESS;
}

static uint64_t get_u64(const uint8_t *p) { return (uint64_t)get_u32(p) | ((uint64_t)get_u32(p + 4) << 32); }

static void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

void sp_device_control(sp_device *dev, const uint8_t *req, size_t length, uint32_t tick_now)
{
    static const uint8_t expected_length[9] = {0, 9, 1, 1, 1, 3, 10, 1, 6};
    uint8_t resp[SP_MAX_CONTROL_BYTES] = {SP_CP_RESPONSE, length ? req[0] : 0};
    size_t resp_len = 3;
    sp_cp_result result = SP_RESULT_SUCCESS;
    int abort_running = 0;
    uint8_t op = length ? req[0] : 0;

    if (length == 0) {
        result = SP_RESULT_INVALID_LENGTH;
    } else if (op == 0 || op > SP_OP_ACK) {
        result = SP_RESULT_UNKNOWN_OPCODE;
    } else if (length != expected_length[op]) {
        result = SP_RESULT_INVALID_LENGTH;
    } else {
        switch ((sp_opcode)op) {
        case SP_OP_SET_TIME:
            dev->wall_anchor_us = get_u64(req + 1);
            dev->wall_anchor_tick = tick_now;
            dev->clock_set = 1;
            resp[3] = dev->boot_id;
            put_u32(resp + 4, tick_now);
            resp_len += 5;
            break;
        case SP_OP_READ_CLOCK:
            resp[3] = dev->boot_id;
            put_u32(resp + 4, tick_now);
            put_u64(resp + 8, dev->clock_set
                                  ? dev->wall_anchor_us + (uint64_t)(uint32_t)(tick_now - dev->wall_anchor_tick) * 1000u
                                  : 0u);
            resp_len += 13;
            break;
        case SP_OP_START_LIVE:
            if (!dev->live) {
                dev->live = 1;
                dev->live_from = dev->open_count; /* live starts with the next sample */
                dev->live_width = 0;
            }
            break;
        case SP_OP_STOP_LIVE:
            sp_device_flush_live(dev);
            dev->live = 0;
            break;
        case SP_OP_SET_SENSOR:
            if (req[1] > 5 || req[2] > 3) {
                result = SP_RESULT_INVALID_PARAMETER;
            } else {
                sp_device_flush(dev);
                dev->rate_code = req[1];
                dev->range_code = req[2];
            }
            break;
        case SP_OP_BACKFILL: result = start_backfill(dev, req + 1, resp, &resp_len); break;
        case SP_OP_ABORT_BACKFILL: abort_running = dev->bf_running; break;
        case SP_OP_ACK: result = ack(dev, req + 1, resp, &resp_len); break;
        }
    }
    resp[2] = (uint8_t)result;
    /* Parameters follow only SUCCESS, except RANGE_NOT_STORED which names the oldest stored position. */
    if (result != SP_RESULT_SUCCESS && result != SP_RESULT_RANGE_NOT_STORED) resp_len = 3;
    send_event(dev, resp, resp_len);
    if (abort_running) finish_backfill(dev, 1);
}

void sp_device_status(const sp_device *dev, uint32_t tick_now, uint8_t out[SP_STATUS_BYTES])
{
    uint32_t count = sp_ring_count(&dev->ring);
    memset(out, 0, SP_STATUS_BYTES);
    out[0] = SP_PROTOCOL_VERSION;
    out[1] = dev->firmware_major;
    out[2] = dev->firmware_minor;
    out[3] = dev->battery;
    out[4] = (uint8_t)((dev->clock_set ? 1u : 0u) | (dev->live ? 2u : 0u) | (dev->bf_running ? 4u : 0u) |
                       (dev->overflowed ? 8u : 0u) | (count == 0 ? 16u : 0u));
    out[5] = dev->boot_id;
    put_u32(out + 6, tick_now);
    out[10] = (uint8_t)((dev->range_code << 6) | dev->rate_code);
    out[11] = (uint8_t)(count * 100u / dev->ring.capacity);
    oldest_position(&dev->ring, out + 12);
    uint32_t dropped = dev->dropped_samples > 0xFFFFFFu ? 0xFFFFFFu : dev->dropped_samples;
    out[17] = (uint8_t)dropped;
    out[18] = (uint8_t)(dropped >> 8);
    out[19] = (uint8_t)(dropped >> 16);
}
