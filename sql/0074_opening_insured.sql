-- 0074_opening_insured: an opening balance month's insured earnings (issue
-- 11 item 3): the income subject to insurance contributions that sick pay's
-- base reads (law 255-FZ art. 14 part 2), which can differ from the
-- earnings of the vacation average (decree 922): material aid, sick pay
-- itself, payments outside the insurance base. NULL: the same as earnings
-- (what every balance stored before meant; core/openbal.c, core/payrun.c
-- payrun_average_months). The months are replaced whole (DELETE + INSERT),
-- so the stale triggers of sql/0034 (and their averages, sql/0073) cover
-- the new column.

ALTER TABLE opening_balance_months ADD COLUMN insured_earnings numeric(15,2)
    CHECK (insured_earnings >= 0);
