package com.asconboard.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The P-256 curve used by App Store Connect (ES256): point arithmetic through BouncyCastle's classes,
 * key objects through the JDK's own "EC" provider, so no security provider needs registering.
 */
final class P256 {

    static final ASN1ObjectIdentifier OID = SECObjectIdentifiers.secp256r1;

    private static final X9ECParameters CURVE = CustomNamedCurves.getByOID(OID);
    private static final ECParameterSpec JCA_PARAMETERS = jcaParameters();

    private P256() {
    }

    /** A private scalar is valid when 1 ≤ d < n. */
    static boolean isValidScalar(BigInteger d) {
        return d.signum() > 0 && d.compareTo(CURVE.getN()) < 0;
    }

    static ECPoint publicPoint(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize();
    }

    /** @throws IllegalArgumentException if the bytes are not a point on P-256 */
    static ECPoint decodePoint(byte[] encoded) {
        ECPoint point = CURVE.getCurve().decodePoint(encoded).normalize();
        if (point.isInfinity() || !point.isValid()) {
            throw new IllegalArgumentException("not a point on P-256");
        }
        return point;
    }

    /** True when explicitly spelled-out curve parameters are those of P-256. */
    static boolean matches(X9ECParameters explicit) {
        ECPoint g = explicit.getG().normalize();
        ECPoint ours = CURVE.getG();
        return explicit.getCurve().getField().getCharacteristic().equals(CURVE.getCurve().getField().getCharacteristic())
                && explicit.getCurve().getA().toBigInteger().equals(CURVE.getCurve().getA().toBigInteger())
                && explicit.getCurve().getB().toBigInteger().equals(CURVE.getCurve().getB().toBigInteger())
                && explicit.getN().equals(CURVE.getN())
                && g.getAffineXCoord().toBigInteger().equals(ours.getAffineXCoord().toBigInteger())
                && g.getAffineYCoord().toBigInteger().equals(ours.getAffineYCoord().toBigInteger());
    }

    /**
     * PKCS#8 in the shape of Apple's own files: named curve, curve repeated in the inner
     * ECPrivateKey, and the uncompressed public point included.
     */
    static byte[] pkcs8(BigInteger d, ECPoint q) {
        org.bouncycastle.asn1.sec.ECPrivateKey inner = new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, d, new DERBitString(q.getEncoded(false)), OID);
        PrivateKeyInfo info = null;
        try {
            AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, OID);
            info = new PrivateKeyInfo(algorithm, inner);
            return info.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a P-256 key", e);
        } finally {
            // Both objects hold their own copy of the scalar; only the returned DER should survive.
            ASN1Sequence innerSequence = (ASN1Sequence) inner.toASN1Primitive();
            Arrays.fill(((ASN1OctetString) innerSequence.getObjectAt(1)).getOctets(), (byte) 0);
            if (info != null) {
                Arrays.fill(info.getPrivateKey().getOctets(), (byte) 0);
            }
        }
    }

    static ECPrivateKey privateKey(BigInteger d) throws GeneralSecurityException {
        return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, JCA_PARAMETERS));
    }

    static ECPublicKey publicKey(ECPoint q) throws GeneralSecurityException {
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, JCA_PARAMETERS));
    }

    private static ECParameterSpec jcaParameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support the P-256 curve", e);
        }
    }
}
