-- 0042_exchange_numbers: the exchange checks a chunk's personnel numbers
-- against the stored ones (core/exchange.c) with one indexed lookup per
-- number; the unique index of 0040 leads with the organization, so it
-- could only be scanned whole for every chunk.
CREATE INDEX employees_number_lookup ON employees (tenant_id, personnel_number)
    WHERE personnel_number IS NOT NULL;
