-- 0051_notifications: delivery of the notifications 0050 queues (issue 12,
-- item 8; core/notifications.h): each row is delivered once (email or SMS
-- by the person's preference through the outbox, then an event to their open
-- pages), and each user chooses the channels beyond the cabinet.

-- Delivered: the row's email/SMS are queued and its event published
-- (notify.deliver). Rows queued before this migration count as delivered:
-- nobody is mailed about old news.
ALTER TABLE notifications ADD COLUMN delivered_at timestamptz;
UPDATE notifications SET delivered_at = created_at;
CREATE INDEX notifications_undelivered ON notifications (tenant_id, id)
    WHERE delivered_at IS NULL;
-- the unread count of a person, read on every page
CREATE INDEX notifications_unread ON notifications (tenant_id, employee_id)
    WHERE read_at IS NULL;

-- A user's channels beyond the cabinet (the cabinet is always on). No row:
-- neither email nor SMS.
CREATE TABLE notification_prefs (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    user_id bigint NOT NULL,
    email boolean NOT NULL DEFAULT false,
    sms boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
ALTER TABLE notification_prefs ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_prefs_own ON notification_prefs
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON notification_prefs TO cabinet_app;
