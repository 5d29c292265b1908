-- 0007_device_forget.sql: devices keep only what they need (issue 11). Once the hub has
-- acknowledged a request, a kiosk or gateway removes its personal fields (text, name, ID
-- number, address, contact; a kiosk also the phone) and the receipt code in clear; to
-- answer a status question offline it keeps the reference, kind, state, dates and this
-- salted hash of the receipt code (crypt(3), "$5$" SHA-256). Empty on the hub and before.
ALTER TABLE requests ADD COLUMN code_hash TEXT NOT NULL DEFAULT '';
