-- 0083_sick_insurance_record: a sick-pay line keeps the insurance record it
-- was computed with (whole months on the leave's first day) and where it came
-- from: insurance_since is the hire date when no record was entered in the
-- card and the service with this employer was taken (F18); NULL when the
-- entered record (as of its date, plus the time since) was used.

ALTER TABLE payroll_lines ADD COLUMN insurance_months integer;
ALTER TABLE payroll_lines ADD COLUMN insurance_since date;
