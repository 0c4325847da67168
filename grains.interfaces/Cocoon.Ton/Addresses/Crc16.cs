namespace Cocoon.Ton.Addresses;

/// <summary>CRC-16/XMODEM (polynomial 0x1021, initial value 0), the checksum of user-friendly addresses.</summary>
public static class Crc16
{
    public static ushort XModem(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return (ushort)crc;
    }
}
