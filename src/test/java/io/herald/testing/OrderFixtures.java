package io.herald.testing;

/** A realistic order event (~1.2 KB) and its 40-property schema, shared by the benchmarks. */
public final class OrderFixtures {
    private OrderFixtures() {}

    public static final String SCHEMA = """
            {"type": "object", "additionalProperties": false,
             "required": ["orderId", "customerId", "placedAt", "status", "currency", "total", "lines", "shipping"],
             "$defs": {
               "money": {"type": "number", "minimum": 0, "multipleOf": 0.01},
               "address": {"type": "object", "additionalProperties": false, "required": ["line1", "city", "country", "zip"],
                 "properties": {"line1": {"type": "string", "maxLength": 200}, "line2": {"type": "string", "maxLength": 200},
                   "city": {"type": "string", "maxLength": 100}, "region": {"type": "string", "maxLength": 100},
                   "zip": {"type": "string", "pattern": "^[0-9A-Z -]{3,10}$"}, "country": {"type": "string", "pattern": "^[A-Z]{2}$"}}}
             },
             "properties": {
               "orderId": {"type": "string", "format": "uuid"},
               "customerId": {"type": "string", "pattern": "^cus_[a-z0-9]{8,}$"},
               "customerEmail": {"type": "string", "format": "email"},
               "placedAt": {"type": "string", "format": "date-time"},
               "status": {"enum": ["placed", "paid", "packed", "shipped", "delivered", "cancelled"]},
               "channel": {"enum": ["web", "ios", "android", "pos"]},
               "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
               "subtotal": {"$ref": "#/$defs/money"}, "tax": {"$ref": "#/$defs/money"},
               "shippingCost": {"$ref": "#/$defs/money"}, "discount": {"$ref": "#/$defs/money"},
               "total": {"$ref": "#/$defs/money"},
               "couponCode": {"type": ["string", "null"], "maxLength": 32},
               "giftMessage": {"type": ["string", "null"], "maxLength": 500},
               "isGift": {"type": "boolean"}, "isFirstOrder": {"type": "boolean"},
               "loyaltyPoints": {"type": "integer", "minimum": 0},
               "salesRep": {"type": ["string", "null"]},
               "warehouse": {"type": "string", "maxLength": 16},
               "priority": {"type": "integer", "minimum": 0, "maximum": 9},
               "tags": {"type": "array", "items": {"type": "string", "maxLength": 32}, "maxItems": 20, "uniqueItems": true},
               "shipping": {"$ref": "#/$defs/address"}, "billing": {"$ref": "#/$defs/address"},
               "carrier": {"enum": ["ups", "fedex", "dhl", "usps", "local"]},
               "trackingNumber": {"type": ["string", "null"]},
               "estimatedDelivery": {"type": "string", "format": "date"},
               "paymentMethod": {"enum": ["card", "paypal", "bank", "voucher"]},
               "paymentId": {"type": "string"}, "riskScore": {"type": "number", "minimum": 0, "maximum": 1},
               "ipAddress": {"type": "string", "format": "ipv4"}, "userAgent": {"type": "string", "maxLength": 512},
               "locale": {"type": "string", "pattern": "^[a-z]{2}-[A-Z]{2}$"},
               "source": {"type": "string"}, "referrer": {"type": ["string", "null"], "format": "uri"},
               "deviceId": {"type": "string", "maxLength": 64}, "sessionId": {"type": "string", "maxLength": 64}, "campaign": {"type": ["string", "null"]},
               "notes": {"type": "string", "maxLength": 1000}, "version": {"type": "integer", "minimum": 1},
               "lines": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "object", "additionalProperties": false,
                 "required": ["sku", "quantity", "unitPrice"],
                 "properties": {"sku": {"type": "string", "pattern": "^[A-Z0-9-]{4,20}$"}, "name": {"type": "string", "maxLength": 200},
                   "quantity": {"type": "integer", "minimum": 1}, "unitPrice": {"$ref": "#/$defs/money"},
                   "discount": {"$ref": "#/$defs/money"}}}}
             }}""";

    public static final String EVENT = """
            {"orderId": "5b3c2f0e-8d1a-4c7e-9b2f-1a2b3c4d5e6f", "customerId": "cus_a1b2c3d4e5", "customerEmail": "ada@example.com",
             "placedAt": "2026-11-26T10:15:30Z", "status": "placed", "channel": "web", "currency": "EUR",
             "subtotal": 119.8, "tax": 22.76, "shippingCost": 4.99, "discount": 10, "total": 137.55,
             "couponCode": "WINTER10", "giftMessage": null, "isGift": false, "isFirstOrder": true, "loyaltyPoints": 120,
             "salesRep": null, "warehouse": "AMS-1", "priority": 3, "tags": ["winter", "promo"],
             "shipping": {"line1": "Keizersgracht 1", "city": "Amsterdam", "zip": "1015 CJ", "country": "NL"},
             "billing": {"line1": "Keizersgracht 1", "city": "Amsterdam", "zip": "1015 CJ", "country": "NL"},
             "carrier": "dhl", "trackingNumber": null, "estimatedDelivery": "2026-11-29", "paymentMethod": "card",
             "paymentId": "pay_9f8e7d6c", "riskScore": 0.12, "ipAddress": "203.0.113.7",
             "userAgent": "Mozilla/5.0 (X11; Linux x86_64)", "locale": "nl-NL", "source": "checkout", "campaign": null,
             "referrer": "https://shop.example.com/winter", "deviceId": "d-7f3a", "sessionId": "s-81bc2e",
             "notes": "Leave at the door", "version": 1,
             "lines": [{"sku": "SKU-1001", "name": "Wool scarf", "quantity": 2, "unitPrice": 29.95},
                       {"sku": "SKU-2002", "name": "Leather gloves", "quantity": 1, "unitPrice": 59.9, "discount": 10}]}""";
}
