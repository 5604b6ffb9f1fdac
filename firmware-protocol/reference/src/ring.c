/* Flash ring buffer of encoded frames (README §7). Slots are addressed by a serial number that only grows, so a
 * backfill cursor stays valid (or visibly stale) while ACKs and overflow free slots under it. */
#include "sensing_protocol.h"

#include <string.h>

void sp_ring_init(sp_ring *ring, uint32_t capacity)
{
    memset(ring, 0, sizeof(*ring));
    ring->capacity = (capacity == 0 || capacity > SP_RING_MAX_SLOTS) ? SP_RING_MAX_SLOTS : capacity;
}

uint32_t sp_ring_count(const sp_ring *ring) { return ring->next - ring->oldest; }

const sp_slot *sp_ring_at(const sp_ring *ring, uint32_t serial)
{
    if ((uint32_t)(serial - ring->oldest) >= sp_ring_count(ring)) return NULL;
    return &ring->slots[serial % ring->capacity];
}

void sp_ring_pop(sp_ring *ring)
{
    if (sp_ring_count(ring) > 0) ring->oldest++;
}

void sp_ring_push(sp_ring *ring, const uint8_t *frame, size_t length, sp_slot *dropped)
{
    dropped->count = 0;
    if (sp_ring_count(ring) == ring->capacity) {
        *dropped = ring->slots[ring->oldest % ring->capacity];
        sp_ring_pop(ring);
    }
    sp_slot *slot = &ring->slots[ring->next % ring->capacity];
    slot->length = (uint8_t)length;
    slot->boot_id = frame[2];
    slot->seq = (uint32_t)frame[3] | ((uint32_t)frame[4] << 8) | ((uint32_t)frame[5] << 16) | ((uint32_t)frame[6] << 24);
    slot->count = frame[11];
    memcpy(slot->bytes, frame, length);
    ring->next++;
}
