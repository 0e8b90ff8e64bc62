/// Reuse of the slots of an array of records that come and go (direct requests, drain runs,
/// scheduled events): a record takes a free slot, its generation one above the slot's last
/// (so events of the slot's earlier record are stale), or a new slot at the end.
func takeSlot<Record>(_ record: Record, in records: inout [Record], free: inout [Int],
                      generation: WritableKeyPath<Record, UInt32>) -> Int {
    var record = record
    guard let slot = free.popLast() else {
        records.append(record)
        return records.count - 1
    }
    record[keyPath: generation] = records[slot][keyPath: generation] &+ 1
    records[slot] = record
    return slot
}
