/// A value of many fields behind one reference: copying it costs one retain instead of one per field, and changing
/// a copy copies the fields first. The build hands large per-page values from stage to stage and from one rebuild
/// to the next; copied field by field, they were a third of a rebuild after a one-chapter edit.
struct CopyOnWrite<Value>: @unchecked Sendable {
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    init(_ value: Value) {
        box = Box(value)
    }

    var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }
}
