-- Retention deletes an event once no delivery refers to it: this finds an event's deliveries (and lets the foreign
-- key's check on that delete find them) without reading the whole table.
CREATE INDEX deliveries_by_event ON deliveries (event_seq);
