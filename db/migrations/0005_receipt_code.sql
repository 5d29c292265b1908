-- 0005_receipt_code.sql: the receipt code, a short secret (4 random digits) printed on
-- the citizen's receipt beside the reference. References are sequential and easy to
-- guess, so the reference alone shows only states and dates; the answer, a refusal's
-- reason and an extension's reason are shown at a kiosk only with the code (law 09-08:
-- a request's content goes to its author and the agents only). Made by the device that
-- took the request, by the hub for desk and paper filings. Requests stored before this
-- migration keep '' and match no code: their answers reach the citizen by SMS or at the
-- desk.
ALTER TABLE requests ADD COLUMN code TEXT NOT NULL DEFAULT ''
  CHECK (code = '' OR (length(code) = 4 AND code GLOB '[0-9][0-9][0-9][0-9]'));
