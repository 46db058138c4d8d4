-- The addresses each account has signed in from. Sign-in failures from an
-- account's familiar address are counted apart from the rest, so failures
-- from elsewhere cannot lock its owner out (server/store/throttle.go).
-- Numbered 00010: another branch adds a 00009.
-- +goose Up
CREATE TABLE signin_addresses (
    email   text NOT NULL,
    ip      text NOT NULL,
    last_at DATETIME NOT NULL,
    PRIMARY KEY (email, ip)
);
